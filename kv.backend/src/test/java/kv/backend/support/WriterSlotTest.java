package kv.backend.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.backend.BackendClosedException;
import kv.backend.BackendException;
import org.junit.jupiter.api.Test;

class WriterSlotTest {
    private final NativeGuard guard = new NativeGuard("backend: test backend is closed");
    private final WriterSlot slot = new WriterSlot(guard);

    @Test
    void secondWriterWaitsForTheFirst() throws Exception {
        slot.acquire();
        CompletableFuture<Void> second = CompletableFuture.runAsync(slot::acquire);
        assertThrows(TimeoutException.class, () -> second.get(100, TimeUnit.MILLISECONDS));
        slot.release();
        second.get(10, TimeUnit.SECONDS);
        slot.release();
    }

    @Test
    void writerQueuedAtCloseFailsAndGivesTheSlotBack() throws Exception {
        slot.acquire();
        CompletableFuture<Void> queued = CompletableFuture.runAsync(slot::acquire);
        assertThrows(TimeoutException.class, () -> queued.get(100, TimeUnit.MILLISECONDS));
        guard.close(() -> {});
        slot.release();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertInstanceOf(BackendClosedException.class, e.getCause());
        assertThrows(BackendClosedException.class, slot::acquire);
    }

    @Test
    void interruptedWaitFailsAndKeepsTheFlag() {
        slot.acquire();
        Thread.currentThread().interrupt();
        try {
            var e = assertThrows(BackendException.class, slot::acquire);
            assertEquals("backend: interrupted while waiting for the write transaction", e.getMessage());
            assertTrue(Thread.interrupted());
        } finally {
            slot.release();
        }
    }
}
