package kv.server.concurrency;

import io.grpc.stub.StreamObserver;
import io.grpc.Context;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import kv.api.v3lockpb.LockGrpc;
import kv.api.v3lockpb.LockRequest;
import kv.api.v3lockpb.LockResponse;
import kv.api.v3lockpb.UnlockRequest;
import kv.api.v3lockpb.UnlockResponse;
import kv.server.core.Member;
import kv.server.rpc.Calls;

/**
 * etcd's Lock service: a distributed mutex per name, held through a lease. Lock returns once the
 * caller owns the lock (its key is the oldest under the name); the lock is released by Unlock or by
 * the lease ending.
 */
public final class LockService extends LockGrpc.LockImplBase {
    private final Ownership ownership;
    private final Executor waiters;

    public LockService(Member member, Executor waiters) {
        this.ownership = new Ownership(member);
        this.waiters = io.grpc.Context.currentContextExecutor(waiters);
    }

    @Override
    public void lock(LockRequest r, StreamObserver<LockResponse> out) {
        Context call = Context.current();
        Calls.answer(out, () -> CompletableFuture.supplyAsync(() -> {
            var prefix = Ownership.prefixOf(r.getName());
            Ownership.Entry mine = ownership.enqueue(prefix, r.getLease(), com.google.protobuf.ByteString.EMPTY);
            try {
                var header = ownership.awaitOlderGone(prefix, mine.createRevision() - 1, call::isCancelled);
                return LockResponse.newBuilder().setHeader(header.getRevision() >= mine.header().getRevision() ? header : mine.header())
                        .setKey(mine.key()).build();
            } catch (InterruptedException | CancellationException e) {
                // as etcd: a caller that gave up leaves no key behind to block the others
                ownership.delete(mine.key());
                throw new CancellationException("lock wait abandoned");
            }
        }, waiters));
    }

    @Override
    public void unlock(UnlockRequest r, StreamObserver<UnlockResponse> out) {
        Calls.answer(out, () -> CompletableFuture.supplyAsync(
                () -> UnlockResponse.newBuilder().setHeader(ownership.delete(r.getKey())).build(), waiters));
    }
}
