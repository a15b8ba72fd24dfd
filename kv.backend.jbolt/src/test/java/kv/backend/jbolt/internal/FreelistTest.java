package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Allocation of runs, and release of pending pages only up to the oldest reader. */
class FreelistTest {
    @Test
    void allocatesSinglePagesAndContiguousRuns() {
        Freelist f = new Freelist();
        f.load(new long[] {3, 5, 6, 7, 9, 10});
        assertEquals(5, f.allocate(3));
        assertEquals(0, f.allocate(3), "no run of 3 left");
        assertEquals(9, f.allocate(2));
        assertEquals(3, f.allocate(1));
        assertEquals(0, f.allocate(1));
        assertEquals(0, f.freeCount());
    }

    @Test
    void pendingPagesAreReleasedOnlyUpToTheOldestReader() {
        Freelist f = new Freelist();
        f.load(new long[] {2});
        f.addPending(5, new long[] {20, 21});
        f.addPending(6, new long[] {30});
        f.addPending(8, new long[] {40});
        assertArrayEquals(new long[] {2, 20, 21, 30, 40}, f.all(), "persisted: free and pending");
        f.release(4);
        assertEquals(1, f.freeCount(), "a reader of state 4 still sees pages freed by commit 5");
        f.release(6);
        assertEquals(4, f.freeCount());
        assertEquals(1, f.pendingCount());
        assertEquals(20, f.allocate(2));
        f.release(Long.MAX_VALUE);
        assertArrayEquals(new long[] {2, 30, 40}, f.all());
    }
}
