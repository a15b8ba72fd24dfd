package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
        f.whenComplete((v, err) -> {
            if (err != null) {
                out.onError(Errors.toStatus(err));
            } else {
                out.onNext(v);
                out.onCompleted();
            }
        });
    }
}
