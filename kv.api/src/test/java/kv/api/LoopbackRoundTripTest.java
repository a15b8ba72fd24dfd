package kv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/** The generated stubs and service bases talk to each other over real gRPC on loopback. */
class LoopbackRoundTripTest {
    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void unaryPutThenRangeThroughBlockingStub() throws Exception {
        FakeKv kv = new FakeKv();
        try (LoopbackServer server = new LoopbackServer(kv)) {
            KVGrpc.KVBlockingStub stub = KVGrpc.newBlockingStub(server.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
            stub.put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("1")).build());
            PutResponse second = stub.put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("2")).setPrevKv(true).build());
            assertEquals(bytes("1"), second.getPrevKv().getValue());
            assertEquals(3, second.getHeader().getRevision());

            RangeResponse got = stub.range(RangeRequest.newBuilder().setKey(bytes("a")).build());
            assertEquals(FakeKv.CLUSTER_ID, got.getHeader().getClusterId());
            assertEquals(1, got.getKvsCount());
            KeyValue a = got.getKvs(0);
            assertEquals(bytes("2"), a.getValue());
            assertEquals(2, a.getCreateRevision());
            assertEquals(3, a.getModRevision());
            assertEquals(2, a.getVersion());
            assertEquals(0, stub.range(RangeRequest.newBuilder().setKey(bytes("b")).build()).getKvsCount());
        }
    }

    @Test
    void bidirectionalWatchStreamCarriesOneofRequestsAndEvents() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new EchoWatch())) {
            BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = WatchGrpc.newStub(server.channel()).watch(new StreamObserver<>() {
                @Override public void onNext(WatchResponse r) { received.add(r); }
                @Override public void onError(Throwable t) { received.add(WatchResponse.newBuilder().setCancelReason(t.toString()).build()); }
                @Override public void onCompleted() {}
            });
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(
                    WatchCreateRequest.newBuilder().setKey(bytes("k")).setWatchId(7).setPrevKv(true)).build());

            WatchResponse created = received.poll(10, TimeUnit.SECONDS);
            assertTrue(created.getCreated(), created.toString());
            assertEquals(7, created.getWatchId());
            WatchResponse event = received.poll(10, TimeUnit.SECONDS);
            assertEquals(Event.EventType.DELETE, event.getEvents(0).getType());
            assertEquals(bytes("k"), event.getEvents(0).getPrevKv().getKey());
            requests.onCompleted();
        }
    }

    /** Answers a create with "created", then one DELETE event for the watched key. */
    private static final class EchoWatch extends WatchGrpc.WatchImplBase {
        @Override
        public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(WatchRequest req) {
                    if (req.getRequestUnionCase() != WatchRequest.RequestUnionCase.CREATE_REQUEST) {
                        return;
                    }
                    WatchCreateRequest c = req.getCreateRequest();
                    ResponseHeader h = ResponseHeader.newBuilder().setRevision(5).build();
                    out.onNext(WatchResponse.newBuilder().setHeader(h).setWatchId(c.getWatchId()).setCreated(true).build());
                    KeyValue kv = KeyValue.newBuilder().setKey(c.getKey()).setModRevision(5).build();
                    out.onNext(WatchResponse.newBuilder().setHeader(h).setWatchId(c.getWatchId())
                            .addEvents(Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv).setPrevKv(kv)).build());
                }

                @Override public void onError(Throwable t) {}

                @Override public void onCompleted() { out.onCompleted(); }
            };
        }
    }
}
