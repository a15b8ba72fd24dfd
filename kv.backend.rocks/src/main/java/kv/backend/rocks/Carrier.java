package kv.backend.rocks;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.backend.BackendException;

/**
 * Moves native calls that can block in the kernel (commit with fsync, WAL sync, compaction, open,
 * close) off virtual threads: a JNI call pins the virtual thread to its carrier for its whole
 * duration, and a pinned carrier is one of very few (one per core). Short calls (a get, a cursor
 * step) stay on the caller's thread: pinning for microseconds is cheaper than a hand-off.
 */
final class Carrier {
    private static final ExecutorService PLATFORM =
            Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name("kv-rocksdb-blocking").unstarted(r));

    private Carrier() {}

    /** Runs {@code call} on this thread if it is a platform thread, else on a platform thread, waiting for it. */
    static <T> T call(Callable<T> call) throws Exception {
        if (!Thread.currentThread().isVirtual()) {
            return call.call();
        }
        Future<T> f = PLATFORM.submit(call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // the native call cannot be abandoned half-way: wait for it, then restore the flag
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new BackendException("rocksdb: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
