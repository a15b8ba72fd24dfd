package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.CompactionResponse;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.server.core.Member;

/**
 * etcd's KV service. Checks what etcd's gRPC layer checks before a request reaches the server
 * (an empty key, a negative revision), then hands it to the {@link Member}.
 */
public final class KvService extends KVGrpc.KVImplBase {
    private final Member member;

    public KvService(Member member) {
        this.member = member;
    }

    @Override
    public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
        Calls.answer(out, () -> {
            requireKey(r.getKey().isEmpty());
            return member.range(r);
        });
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> out) {
        Calls.answer(out, () -> {
            requireKey(r.getKey().isEmpty());
            return member.put(r);
        });
    }

    @Override
    public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
        Calls.answer(out, () -> {
            requireKey(r.getKey().isEmpty());
            return member.deleteRange(r);
        });
    }

    @Override
    public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
        Calls.answer(out, () -> member.txn(r));
    }

    @Override
    public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
        Calls.answer(out, () -> member.compact(r));
    }

    private static void requireKey(boolean empty) {
        if (empty) {
            throw EtcdError.EMPTY_KEY.asException();
        }
    }
}
