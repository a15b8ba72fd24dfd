package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reservations never overlap, a run larger than a chunk gets all its bytes, and a reset reuses the memory. */
class PageBufferTest {
    @Test
    void reservationsAcrossChunksKeepTheirBytes() {
        PageBuffer b = new PageBuffer();
        List<MemorySegment> runs = new ArrayList<>();
        long total = 0;
        for (int i = 0; total < 3 * PageBuffer.CHUNK; i++) {
            long size = 4096L * (1 + i % 3);
            MemorySegment s = b.reserve(size);
            assertEquals(size, s.byteSize());
            s.fill((byte) i);
            runs.add(s);
            total += size;
        }
        for (int i = 0; i < runs.size(); i++) {
            MemorySegment s = runs.get(i);
            assertEquals((byte) i, s.get(ValueLayout.JAVA_BYTE, 0), "first byte of run " + i);
            assertEquals((byte) i, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1), "last byte of run " + i);
        }
    }

    @Test
    void aRunLargerThanAChunkGetsAllItsBytes() {
        PageBuffer b = new PageBuffer();
        MemorySegment small = b.reserve(4096);
        small.fill((byte) 1);
        MemorySegment big = b.reserve(PageBuffer.CHUNK + 8192);
        assertEquals(PageBuffer.CHUNK + 8192, big.byteSize());
        big.fill((byte) 2);
        assertEquals(1, small.get(ValueLayout.JAVA_BYTE, 4095));
        assertEquals(4096, b.reserve(4096).byteSize());
    }

    @Test
    void resetReusesTheMemoryOfEarlierCommits() {
        PageBuffer b = new PageBuffer();
        long first = b.reserve(4096).address();
        b.reserve(PageBuffer.CHUNK);
        b.reset();
        assertEquals(first, b.reserve(4096).address(), "the first chunk is reused");
    }
}
