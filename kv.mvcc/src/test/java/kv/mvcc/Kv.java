package kv.mvcc;

import com.google.protobuf.ByteString;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RequestOp;

/** Short builders of etcd requests for tests. */
final class Kv {
    private Kv() {}

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

    static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).build();
    }

    static RangeRequest get(String k) {
        return RangeRequest.newBuilder().setKey(bs(k)).build();
    }

    static RangeRequest prefix(String k) {
        return RangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(ALL).build();
    }

    static DeleteRangeRequest del(String k) {
        return DeleteRangeRequest.newBuilder().setKey(bs(k)).build();
    }

    static RequestOp op(PutRequest p) {
        return RequestOp.newBuilder().setRequestPut(p).build();
    }

    static RequestOp op(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    static RequestOp op(DeleteRangeRequest d) {
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
    }

    static RequestOp op(kv.api.etcdserverpb.TxnRequest t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    static Compare versionIs(String k, long v) {
        return Compare.newBuilder().setKey(bs(k)).setTarget(Compare.CompareTarget.VERSION)
                .setResult(Compare.CompareResult.EQUAL).setVersion(v).build();
    }
}
