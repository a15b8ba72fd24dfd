package kv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.ClusterGrpc;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.LeaseTimeToLiveRequest;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.StatusResponse;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kv's generated client stubs against a real etcd server (Debian's 3.4 build, a child process on
 * loopback with its data in a temp dir): every answer decodes with the values etcd means. Skipped
 * where etcd is not installed (bin/test installs it).
 */
class RealEtcdInteropTest {
    @TempDir static Path dir;
    private static TestServer etcd;
    private static ManagedChannel channel;

    @BeforeAll
    static void startEtcd() throws Exception {
        assumeTrue(TestServer.etcdInstalled(), "etcd is not installed");
        etcd = TestServer.start(TestServer.Kind.ETCD, dir);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", etcd.clientPort()).usePlaintext().build();
        awaitReady();
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (etcd != null) {
            etcd.kill();
        }
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
                return;
            } catch (StatusRuntimeException e) {
                if (!etcd.process().isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("etcd did not start:\n" + etcd.log(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void putRangeAndRevisions() {
        PutResponse first = kv().put(PutRequest.newBuilder().setKey(bytes("/pr/k")).setValue(bytes("v1")).build());
        PutResponse second = kv().put(PutRequest.newBuilder().setKey(bytes("/pr/k")).setValue(bytes("v2")).setPrevKv(true).build());
        assertEquals(first.getHeader().getRevision() + 1, second.getHeader().getRevision());
        assertEquals(bytes("v1"), second.getPrevKv().getValue());
        assertNotEquals(0, second.getHeader().getClusterId());
        assertNotEquals(0, second.getHeader().getMemberId());

        RangeResponse got = kv().range(RangeRequest.newBuilder().setKey(bytes("/pr/")).setRangeEnd(bytes("/pr0"))
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.MOD).build());
        assertEquals(1, got.getCount());
        KeyValue kv = got.getKvs(0);
        assertEquals(bytes("v2"), kv.getValue());
        assertEquals(first.getHeader().getRevision(), kv.getCreateRevision());
        assertEquals(second.getHeader().getRevision(), kv.getModRevision());
        assertEquals(2, kv.getVersion());
    }

    @Test
    void txnComparesAndBranches() {
        long rev = kv().put(PutRequest.newBuilder().setKey(bytes("/txn/k")).setValue(bytes("x")).build()).getHeader().getRevision();
        Compare modIsRev = Compare.newBuilder().setKey(bytes("/txn/k")).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL).setModRevision(rev).build();
        RequestOp get = RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("/txn/k"))).build();
        RequestOp put = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("/txn/k")).setValue(bytes("y"))).build();

        TxnResponse won = kv().txn(TxnRequest.newBuilder().addCompare(modIsRev).addSuccess(put).addFailure(get).build());
        assertTrue(won.getSucceeded());
        assertTrue(won.getResponses(0).hasResponsePut());

        Compare valueNotX = Compare.newBuilder().setKey(bytes("/txn/k")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.NOT_EQUAL).setValue(bytes("y")).build();
        TxnResponse lost = kv().txn(TxnRequest.newBuilder().addCompare(valueNotX).addSuccess(put).addFailure(get).build());
        assertFalse(lost.getSucceeded());
        assertEquals(bytes("y"), lost.getResponses(0).getResponseRange().getKvs(0).getValue());
    }

    @Test
    void leaseAttachesKeysAndDeleteReturnsPrevious() {
        LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        LeaseGrantResponse granted = lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
        assertNotEquals(0, granted.getID());
        assertEquals(60, granted.getTTL());
        kv().put(PutRequest.newBuilder().setKey(bytes("/lease/k")).setValue(bytes("v")).setLease(granted.getID()).build());
        LeaseTimeToLiveResponse ttl = lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(granted.getID()).setKeys(true).build());
        assertEquals(60, ttl.getGrantedTTL());
        assertEquals(List.of(bytes("/lease/k")), ttl.getKeysList());

        DeleteRangeResponse deleted = kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("/lease/k")).setPrevKv(true).build());
        assertEquals(1, deleted.getDeleted());
        assertEquals(granted.getID(), deleted.getPrevKvs(0).getLease());
    }

    @Test
    void watchReplaysHistoryOverTheBidiStream() throws Exception {
        long first = kv().put(PutRequest.newBuilder().setKey(bytes("/w/k")).setValue(bytes("1")).build()).getHeader().getRevision();
        kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("/w/k")).build());

        BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override public void onNext(WatchResponse r) { received.add(r); }
            @Override public void onError(Throwable t) {}
            @Override public void onCompleted() {}
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(bytes("/w/k")).setStartRevision(first).setPrevKv(true)).build());
        assertTrue(received.poll(10, TimeUnit.SECONDS).getCreated());
        List<Event> events = new java.util.ArrayList<>();
        while (events.size() < 2) {
            WatchResponse r = received.poll(10, TimeUnit.SECONDS);
            assertTrue(r != null, "no events from etcd");
            events.addAll(r.getEventsList());
        }
        requests.onCompleted();
        assertEquals(Event.EventType.PUT, events.get(0).getType());
        assertEquals(bytes("1"), events.get(0).getKv().getValue());
        assertEquals(Event.EventType.DELETE, events.get(1).getType());
        assertEquals(bytes("1"), events.get(1).getPrevKv().getValue());
    }

    @Test
    void clusterAndMaintenanceAnswersDecode() {
        MemberListResponse members = ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .memberList(MemberListRequest.newBuilder().setLinearizable(true).build());
        assertEquals(1, members.getMembersCount());
        assertEquals("default", members.getMembers(0).getName());
        assertTrue(members.getMembers(0).getClientURLs(0).startsWith("http://127.0.0.1:"));

        StatusResponse status = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance());
        assertTrue(status.getVersion().startsWith("3."), status.getVersion());
        assertTrue(status.getDbSize() > 0);
        assertEquals(members.getMembers(0).getID(), status.getLeader());
        assertTrue(status.getRaftAppliedIndex() > 0);
    }
}
