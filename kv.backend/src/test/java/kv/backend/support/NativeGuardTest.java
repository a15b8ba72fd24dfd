package kv.backend.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kv.backend.BackendClosedException;
import org.junit.jupiter.api.Test;

class NativeGuardTest {
    private final NativeGuard guard = new NativeGuard("backend: test backend is closed");

    @Test
    void closeRunsReleaseOnceAndThenRefusesEntry() {
        AtomicInteger released = new AtomicInteger();
        assertTrue(guard.tryEnter());
        guard.exit();
        assertTrue(guard.close(released::incrementAndGet));
        assertFalse(guard.close(released::incrementAndGet));
        assertEquals(1, released.get());
        assertTrue(guard.isClosed());
        assertFalse(guard.tryEnter());
        var e = assertThrows(BackendClosedException.class, guard::enter);
        assertEquals("backend: test backend is closed", e.getMessage());
        assertThrows(BackendClosedException.class, () -> guard.exclusive(() -> fail("ran after close")));
    }

    @Test
    void closeWaitsForASharedHold() throws Exception {
        guard.enter();
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread closer = Thread.ofPlatform().start(() -> {
            guard.close(() -> released.set(true));
            done.countDown();
        });
        assertFalse(done.await(100, TimeUnit.MILLISECONDS), "close ran while a call was inside");
        assertFalse(released.get());
        guard.exit();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(released.get());
        closer.join();
    }

    @Test
    void exclusiveRunsWhileOpen() {
        AtomicBoolean ran = new AtomicBoolean();
        guard.exclusive(() -> ran.set(true));
        assertTrue(ran.get());
        assertFalse(guard.isClosed());
    }
}
