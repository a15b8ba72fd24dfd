package kv.backend.support;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.backend.BackendException;

/**
 * Runs native calls that can block in the kernel (a commit with fsync, a sync, a compacting copy,
 * open, close) on platform threads when the caller is a virtual thread. A native call pins a virtual
 * thread to its carrier for its whole duration, and carriers are few (one per core); a platform
 * thread blocking costs only itself. Short calls (a get, a cursor step) should stay on the caller's
 * thread: pinning for microseconds is cheaper than a hand-off. A call made here also runs entirely
 * on one OS thread, which engines with thread-bound native transactions (LMDB's writer) rely on.
 *
 * <p>Thread-safety: safe for any number of threads. The platform threads are daemon threads of an
 * unbounded cached pool that lives as long as this object (engines keep one per engine type, in a
 * static field); idle threads end after a minute.
 */
public final class PlatformCalls {
    private final ExecutorService platform;
    private final String engine;

    /**
     * @param threadName the name of the platform threads (e.g. {@code "kv-rocksdb-blocking"})
     * @param engine the engine's name, prefixing the message of a {@link BackendException} wrapping a
     *     throwable that is neither an exception nor an error (e.g. {@code "rocksdb"})
     */
    public PlatformCalls(String threadName, String engine) {
        Objects.requireNonNull(threadName, "threadName");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.platform = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name(threadName).unstarted(r));
    }

    /**
     * Runs {@code call} on this thread if it is a platform thread, else on a platform thread, waiting
     * for it. Returns what it returns and throws what it throws. An interrupt while waiting does not
     * abandon the call (a native call cannot stop half-way): this waits for it, then restores the
     * interrupt flag.
     */
    public <T> T call(Callable<T> call) throws Exception {
        if (!Thread.currentThread().isVirtual()) {
            return call.call();
        }
        Future<T> f = platform.submit(call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unwrap(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Exception unwrap(ExecutionException e) {
        if (e.getCause() instanceof Exception ex) {
            return ex;
        }
        if (e.getCause() instanceof Error err) {
            throw err;
        }
        return new BackendException(engine + ": " + e.getCause(), e.getCause());
    }
}
