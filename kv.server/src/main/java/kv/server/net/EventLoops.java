package kv.server.net;

import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;

/**
 * The transport thread a call arrived on, as an executor to finish the call on. A unary KV call
 * runs on its connection's event loop (see {@link CallExecutors}); the raft or apply thread that
 * completes it later hands the rest back to that loop: the response is then built and written by
 * the loop itself (gRPC writes from another thread go through a queue the loop drains anyway), and
 * the single raft and apply threads do not spend their time serialising responses and reading the
 * store for linearizable reads.
 */
public final class EventLoops {
    private EventLoops() {
    }

    /** The event loop running the calling thread, or {@code null} on any other thread. */
    public static Executor current() {
        return ThreadExecutorMap.currentExecutor();
    }
}
