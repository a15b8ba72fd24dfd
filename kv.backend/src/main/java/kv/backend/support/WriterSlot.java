package kv.backend.support;

import java.util.Objects;
import java.util.concurrent.Semaphore;
import kv.backend.BackendClosedException;
import kv.backend.BackendException;

/**
 * The one write transaction an engine allows at a time ({@link kv.backend.Backend#beginWrite()}):
 * {@link #acquire()} waits for the slot, {@link #release()} gives it back when the write transaction
 * commits or is closed. Waiting happens outside the engine's {@link NativeGuard}, so a writer queued
 * here never delays close; a writer that gets the slot after close gives it back and fails with
 * {@link BackendClosedException}.
 *
 * <p>Thread-safety: safe for any number of threads. The slot is not owned by a thread (a semaphore),
 * so a write transaction may be released by another thread than the one that began it. One slot per
 * open engine instance, sharing that instance's guard.
 */
public final class WriterSlot {
    private final Semaphore slot = new Semaphore(1);
    private final NativeGuard guard;

    /** @param guard the engine instance's guard, consulted so that a closed engine refuses writers */
    public WriterSlot(NativeGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * Waits for the slot. Throws {@link BackendClosedException} if the engine is closed (before or
     * while waiting; the slot is then not held), or {@link BackendException} if interrupted while
     * waiting (the interrupt flag is kept).
     */
    public void acquire() {
        guard.enter();
        guard.exit();
        try {
            slot.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("backend: interrupted while waiting for the write transaction");
        }
        if (guard.isClosed()) {
            slot.release();
            guard.enter(); // throws BackendClosedException
        }
    }

    /** Gives the slot back; called exactly once per successful {@link #acquire()}. */
    public void release() {
        slot.release();
    }
}
