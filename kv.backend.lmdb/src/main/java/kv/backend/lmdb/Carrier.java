package kv.backend.lmdb;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kv.backend.BackendException;

/**
 * Moves native calls that can block in the kernel (commit with fsync, sync, the compacting copy,
 * open, close) off virtual threads: a native call pins a virtual thread to its carrier for its whole
 * duration, and carriers are few (one per core). It also keeps LMDB's write transaction on one OS
 * thread from begin to end, as LMDB's writer lock requires: a commit runs entirely inside one call
 * here, on a platform thread. Short calls (a get, a cursor step) stay on the caller's thread:
 * pinning for microseconds is cheaper than a hand-off.
 */
final class Carrier {
    private static final ExecutorService PLATFORM =
            Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name("kv-lmdb-blocking").unstarted(r));

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
                    throw new BackendException("lmdb: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
