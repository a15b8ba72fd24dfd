package kv.backend.support;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import kv.backend.BackendClosedException;

/**
 * Keeps calls into a native engine and the engine's close apart, so no thread can be inside a native
 * read, cursor step or commit while the native memory it uses is freed.
 *
 * <p>Every native call runs between {@link #enter()} (or a successful {@link #tryEnter()}) and
 * {@link #exit()}: a shared hold, so calls run in parallel. {@link #close(Runnable)} and
 * {@link #exclusive(Runnable)} take an exclusive hold and run alone. Holds are meant to be short (one
 * native call), so close waits for microseconds, never for a transaction to end; a transaction that
 * outlives close finds the guard closed on its next call.
 *
 * <p>Thread-safety: safe for any number of threads. Holds are per thread (a read-write lock), so the
 * thread that enters must be the one that exits; a thread holding a shared hold must not call
 * {@link #exclusive(Runnable)} or {@link #close(Runnable)} (it would wait for itself). One guard per
 * open engine instance; it owns no resources itself.
 */
public final class NativeGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String closedMessage;
    private volatile boolean closed;

    /**
     * @param closedMessage the message of the {@link BackendClosedException} thrown once closed, in
     *     etcd style (e.g. {@code "backend: rocksdb backend at /data is closed"})
     */
    public NativeGuard(String closedMessage) {
        this.closedMessage = Objects.requireNonNull(closedMessage, "closedMessage");
    }

    /** Takes a shared hold; throws {@link BackendClosedException} once the guard is closed. */
    public void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new BackendClosedException(closedMessage);
        }
    }

    /** Takes a shared hold if the guard is still open; returns whether it did (only then call {@link #exit()}). */
    public boolean tryEnter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            return false;
        }
        return true;
    }

    /** Releases the shared hold this thread took with {@link #enter()} or {@link #tryEnter()}. */
    public void exit() {
        lock.readLock().unlock();
    }

    /** Whether {@link #close(Runnable)} has run; a hint only, unless the caller holds a shared hold. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Runs {@code action} with no other call inside the engine (for example to grow a memory map,
     * which moves it); throws {@link BackendClosedException} once the guard is closed. The caller must
     * not hold a shared hold.
     */
    public void exclusive(Runnable action) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new BackendClosedException(closedMessage);
            }
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Marks the guard closed and runs {@code release} alone, once; later calls do nothing and return
     * false. The guard counts as closed even if {@code release} throws (the exception propagates).
     */
    public boolean close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            release.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
