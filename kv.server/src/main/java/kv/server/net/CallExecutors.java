package kv.server.net;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import kv.api.etcdserverpb.KVGrpc;

/**
 * Chooses where a call's handlers run: the non-blocking KV calls inline on the transport thread
 * (the server's direct executor), everything else (watch and lease streams, lock and election
 * waits, snapshots, defragmentation, password hashing) on {@code blocking}.
 */
final class CallExecutors implements ServerCallExecutorSupplier {
    private static final Set<String> INLINE = Set.of(
            KVGrpc.getRangeMethod().getFullMethodName(),
            KVGrpc.getPutMethod().getFullMethodName(),
            KVGrpc.getDeleteRangeMethod().getFullMethodName(),
            KVGrpc.getTxnMethod().getFullMethodName(),
            KVGrpc.getCompactMethod().getFullMethodName());

    private final Executor blocking;

    CallExecutors(Executor blocking) {
        this.blocking = blocking;
    }

    @Override
    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        return INLINE.contains(call.getMethodDescriptor().getFullMethodName()) ? null : blocking;
    }
}
