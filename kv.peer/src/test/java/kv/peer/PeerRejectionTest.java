package kv.peer;

import static kv.peer.RecordingHandler.app;
import static kv.peer.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.peer.internal.Dialer;
import kv.peer.internal.PeerHeaders;
import kv.peer.internal.peerpb.MessageBatch;
import kv.peer.internal.peerpb.PeerGrpc;
import kv.peer.internal.peerpb.StreamAck;
import org.junit.jupiter.api.Test;

/** The server refuses calls from another cluster and messages for another member. */
class PeerRejectionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aMemberOfAnotherClusterIsRefusedAndReportedUnreachable() throws Exception {
        var otherCluster = new PeerConfig(1, 0xbadL, PeerTls.NONE, Duration.ofSeconds(1));
        try (var b = TestMember.plain(2); var a = new TestMember(1, otherCluster, "http", 0, TestMember.NO_SNAPSHOTS)) {
            a.transport.addPeer(2, List.of(b.url));
            long[] i = {0};
            await("repeated unreachable reports", WAIT, () -> {
                a.transport.send(List.of(app(1, 2, ++i[0])));
                return a.handler.unreachable(2) >= 3;
            });
            assertTrue(b.handler.received.isEmpty(), "nothing delivered across clusters");
            Status s = rawStream(b, 1, 0xbadL, 2, app(1, 2, 1));
            assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
            assertEquals("peer: cluster id mismatch (local c1, remote bad)", s.getDescription());
        }
    }

    @Test
    void aCallForAnotherMemberIsRefused() throws Exception {
        try (var b = TestMember.plain(2); var a = TestMember.plain(1)) {
            // member 3 is believed to live at member 2's URL
            a.transport.addPeer(3, List.of(b.url));
            long[] i = {0};
            await("repeated unreachable reports", WAIT, () -> {
                a.transport.send(List.of(app(1, 3, ++i[0])));
                return a.handler.unreachable(3) >= 3;
            });
            assertTrue(b.handler.received.isEmpty());
            Status s = rawStream(b, 1, TestMember.CLUSTER, 3, app(1, 3, 1));
            assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
            assertEquals("peer: member id mismatch (this member is 2, call for member 3)", s.getDescription());
        }
    }

    @Test
    void aMessageForAnotherMemberInsideAStreamIsRefused() throws Exception {
        try (var b = TestMember.plain(2)) {
            Status s = rawStream(b, 1, TestMember.CLUSTER, 2, app(1, 2, 1), app(1, 3, 2), app(1, 2, 3));
            assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
            assertEquals("peer: message to member 3 delivered to member 2", s.getDescription());
            assertEquals(1, b.handler.take(1, WAIT).getFirst().getIndex(), "the messages before it were delivered");
            Thread.sleep(100);
            assertTrue(b.handler.received.isEmpty(), "nothing after the refused message");
            assertEquals(1, b.server.stats().dropped());
        }
    }

    /** Sends one batch on a hand-made stream with the given headers; returns how the call ended. */
    private static Status rawStream(TestMember to, long from, long cluster, long addressee, kv.raft.raftpb.Message... ms) throws Exception {
        ManagedChannel ch = new Dialer(TestMember.config(from, 16)).open(to.url);
        try {
            CompletableFuture<Status> end = new CompletableFuture<>();
            StreamObserver<MessageBatch> req = PeerGrpc.newStub(ch).withInterceptors(PeerHeaders.attach(from, addressee, cluster))
                    .stream(new StreamObserver<StreamAck>() {
                        @Override
                        public void onNext(StreamAck v) {}

                        @Override
                        public void onError(Throwable t) {
                            end.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            end.complete(Status.OK);
                        }
                    });
            MessageBatch.Builder b = MessageBatch.newBuilder();
            for (var m : ms) {
                b.addMessages(m.toByteString());
            }
            req.onNext(b.build());
            req.onCompleted();
            return end.get(10, TimeUnit.SECONDS);
        } finally {
            ch.shutdownNow();
        }
    }
}
