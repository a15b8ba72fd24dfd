package kv.backend.support;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PlatformCallsTest {
    private static final PlatformCalls CALLS = new PlatformCalls("kv-test-blocking", "test");

    @Test
    void platformCallerRunsOnItsOwnThread() throws Exception {
        Thread me = Thread.currentThread();
        assertSame(me, CALLS.call(Thread::currentThread));
    }

    @Test
    void virtualCallerIsMovedToANamedPlatformThread() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread v = Thread.ofVirtual().start(() -> {
            try {
                ran.set(CALLS.call(Thread::currentThread));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        v.join();
        assertNull(failure.get());
        assertFalse(ran.get().isVirtual());
        assertEquals("kv-test-blocking", ran.get().getName());
    }

    @Test
    void failuresPassThroughUnwrappedAndInterruptIsKept() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread v = Thread.ofVirtual().unstarted(() -> {
            Thread.currentThread().interrupt();
            try {
                CALLS.call(() -> {
                    Thread.sleep(50);
                    throw new IOException("disk gone");
                });
            } catch (Throwable t) {
                failure.set(t);
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        v.start();
        v.join();
        assertInstanceOf(IOException.class, failure.get());
        assertEquals("disk gone", failure.get().getMessage());
        assertTrue(interrupted.get());
    }
}
