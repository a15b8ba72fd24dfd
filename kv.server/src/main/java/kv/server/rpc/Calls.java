package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import kv.server.net.EventLoops;

/** Completes unary gRPC calls from futures, with etcd's status for every failure. */
public final class Calls {
    private Calls() {}

    /** Completes the call with the future's value, or with etcd's status for its failure (thrown or completed). */
    public static <T> void answer(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            out.onError(Errors.toStatus(e));
            return;
        }
        BiConsumer<T, Throwable> reply = (v, err) -> {
            if (err != null) {
                out.onError(Errors.toStatus(err));
            } else {
                out.onNext(v);
                out.onCompleted();
            }
        };
        Executor loop = f.isDone() ? null : EventLoops.current();
        if (loop == null) {
            f.whenComplete(reply);
        } else {
            // answered on the call's own event loop, not on the raft or apply thread that completes f
            f.whenCompleteAsync(reply, loop);
        }
    }
}
