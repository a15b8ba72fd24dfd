package kv.api;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.mvccpb.KeyValue;

/**
 * A test double of etcd's KV service over an in-memory sorted map: just enough Range and Put for
 * round trips through the generated stubs. Records every request it receives. Thread-safe.
 */
final class FakeKv extends KVGrpc.KVImplBase {
    static final long CLUSTER_ID = 0x1234_5678_9abc_def0L;
    private final NavigableMap<ByteString, KeyValue> keys = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    private final List<Object> requests = new CopyOnWriteArrayList<>();
    private long revision = 1;

    List<Object> requests() {
        return requests;
    }

    @Override
    public synchronized void put(PutRequest req, StreamObserver<PutResponse> out) {
        requests.add(req);
        revision++;
        KeyValue prev = keys.get(req.getKey());
        KeyValue kv = KeyValue.newBuilder().setKey(req.getKey()).setValue(req.getValue()).setLease(req.getLease())
                .setCreateRevision(prev == null ? revision : prev.getCreateRevision()).setModRevision(revision)
                .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
        keys.put(req.getKey(), kv);
        PutResponse.Builder resp = PutResponse.newBuilder().setHeader(header());
        if (req.getPrevKv() && prev != null) {
            resp.setPrevKv(prev);
        }
        out.onNext(resp.build());
        out.onCompleted();
    }

    @Override
    public synchronized void range(RangeRequest req, StreamObserver<RangeResponse> out) {
        requests.add(req);
        List<KeyValue> found = new ArrayList<>();
        if (req.getRangeEnd().isEmpty()) {
            KeyValue kv = keys.get(req.getKey());
            if (kv != null) {
                found.add(kv);
            }
        } else {
            // "\0" as range_end means every key >= key, as in etcd
            boolean toEnd = req.getRangeEnd().equals(ByteString.copyFrom(new byte[] {0}));
            found.addAll((toEnd ? keys.tailMap(req.getKey(), true) : keys.subMap(req.getKey(), req.getRangeEnd())).values());
        }
        out.onNext(RangeResponse.newBuilder().setHeader(header()).addAllKvs(found).setCount(found.size()).build());
        out.onCompleted();
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(CLUSTER_ID).setMemberId(1).setRevision(revision).setRaftTerm(2).build();
    }
}
