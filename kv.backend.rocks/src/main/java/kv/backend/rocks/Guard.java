package kv.backend.rocks;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import kv.backend.BackendClosedException;

/**
 * Keeps native calls and {@link RocksBackend#close()} apart: every call into RocksDB runs between
 * {@link #enter()} and {@link #exit()} (a shared hold), close runs alone (an exclusive hold), so
 * no thread can be inside an iterator or a read while its native memory is freed. Holds are
 * short (one native call), so close waits for microseconds, never for a transaction to end.
 */
final class Guard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String closedMessage;
    private volatile boolean closed;

    Guard(String closedMessage) {
        this.closedMessage = closedMessage;
    }

    /** Takes a shared hold; throws {@link BackendClosedException} once the backend is closed. */
    void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new BackendClosedException(closedMessage);
        }
    }

    /** Takes a shared hold if the backend is still open; returns whether it did. */
    boolean tryEnter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            return false;
        }
        return true;
    }

    void exit() {
        lock.readLock().unlock();
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code release} alone, once; later calls do nothing and return false. */
    boolean close(Runnable release) {
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
