package kv.peer;

import static kv.peer.RecordingHandler.app;
import static kv.peer.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.raft.raftpb.Message;
import org.junit.jupiter.api.Test;

/** Messages between members over real gRPC on loopback. */
class PeerTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void threeMembersExchangeMessagesInBothDirectionsInOrder() throws Exception {
        List<TestMember> ms = List.of(TestMember.plain(1), TestMember.plain(2), TestMember.plain(3));
        try (var a = ms.get(0); var b = ms.get(1); var c = ms.get(2)) {
            TestMember.connect(ms);
            int n = 2000;
            for (int i = 1; i <= n; i++) {
                for (TestMember from : ms) {
                    List<Message> out = new ArrayList<>();
                    for (TestMember to : ms) {
                        if (to != from) {
                            out.add(app(from.id, to.id, i));
                        }
                    }
                    from.transport.send(out);
                }
            }
            for (TestMember to : ms) {
                Map<Long, List<Long>> bySender = new TreeMap<>();
                for (Message m : to.handler.take(2 * n, WAIT)) {
                    assertEquals(to.id, m.getTo());
                    bySender.computeIfAbsent(m.getFrom(), k -> new ArrayList<>()).add(m.getIndex());
                }
                assertEquals(2, bySender.size(), "senders seen by " + to.id);
                for (List<Long> indexes : bySender.values()) {
                    assertEquals(n, indexes.size());
                    for (int i = 0; i < n; i++) {
                        assertEquals(i + 1, indexes.get(i), "order of messages");
                    }
                }
            }
            assertEquals(0, a.transport.stats().dropped() + b.transport.stats().dropped() + c.transport.stats().dropped());
        }
    }

    @Test
    void aBurstOfSmallMessagesTravelsInFewBatches() throws Exception {
        int n = 100_000;
        try (var a = new TestMember(1, TestMember.config(1, 1 << 17), "http", 0, TestMember.NO_SNAPSHOTS);
             var b = TestMember.plain(2)) {
            a.transport.addPeer(2, List.of(b.url));
            // the stream is up before the burst, so batching comes from the writer, not from connecting
            a.transport.send(List.of(app(1, 2, 0)));
            b.handler.take(1, WAIT);
            for (int i = 1; i <= n; i += 100) {
                List<Message> burst = new ArrayList<>(100);
                for (int j = i; j < i + 100; j++) {
                    burst.add(app(1, 2, j));
                }
                a.transport.send(burst);
            }
            List<Message> got = b.handler.take(n, WAIT);
            for (int i = 0; i < n; i++) {
                assertEquals(i + 1, got.get(i).getIndex());
            }
            PeerStats sent = a.transport.stats();
            PeerStats received = b.server.stats();
            assertEquals(n + 1, sent.messages(), "the burst and the first message");
            assertEquals(n + 1, received.messages());
            assertEquals(sent.batches(), received.batches());
            assertTrue(received.batches() < n / 10, "batches " + received.batches() + " for " + n + " messages");
            System.out.println("burst of " + n + " messages: " + (received.batches() - 1) + " batches");
        }
    }

    @Test
    void aPeerDownDropsAndReportsWithoutBlockingThenDeliveryResumes() throws Exception {
        try (var a = new TestMember(1, TestMember.config(1, 16), "http", 0, TestMember.NO_SNAPSHOTS)) {
            var down = TestMember.plain(2);
            int port = down.port();
            down.close();
            a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + port)));
            for (int i = 1; i <= 10_000; i++) {
                a.transport.send(List.of(app(1, 2, i))); // must return at once although nobody listens
            }
            await("unreachable reports", WAIT, () -> a.handler.unreachable(2) >= 2);
            // every message was dropped: by send() on a full queue or by the writer while the peer is down
            await("all messages dropped", WAIT, () -> a.transport.stats().dropped() == 10_000);
            assertEquals(0, a.transport.stats().messages());

            try (var back = new TestMember(2, TestMember.config(2, 16), "http", port, TestMember.NO_SNAPSHOTS)) {
                long[] i = {20_000};
                await("delivery after the peer came back", WAIT, () -> {
                    a.transport.send(List.of(app(1, 2, ++i[0])));
                    return !back.handler.received.isEmpty();
                });
                Message first = back.handler.received.peek();
                assertTrue(first.getIndex() > 20_000, "only messages sent after the restart arrive, got " + first.getIndex());
            }
        }
    }

    /**
     * A peer down long enough for gRPC's own reconnect backoff to grow (1 s, 1.6 s, 2.6 s, 4.1 s, ...)
     * is reached again within the transport's backoff (at most 2 s) once it is back: a restarted
     * member must hear from its leader before an election timeout or two, not after gRPC's backoff.
     */
    @Test
    void aPeerBackAfterALongOutageIsReachedWithinTheTransportsBackoff() throws Exception {
        try (var a = new TestMember(1, TestMember.config(1, 16), "http", 0, TestMember.NO_SNAPSHOTS)) {
            var down = TestMember.plain(2);
            int port = down.port();
            down.close();
            a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + port)));
            long outageEnd = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(12);
            for (int i = 1; System.nanoTime() < outageEnd; i++) {
                a.transport.send(List.of(app(1, 2, i)));
                Thread.sleep(50);
            }
            try (var back = new TestMember(2, TestMember.config(2, 16), "http", port, TestMember.NO_SNAPSHOTS)) {
                long[] i = {100_000};
                await("delivery within 5 s of the peer's return", java.time.Duration.ofSeconds(5), () -> {
                    a.transport.send(List.of(app(1, 2, ++i[0])));
                    return !back.handler.received.isEmpty();
                });
            }
        }
    }

    @Test
    void aSlowPeerFillsTheBoundedQueueAndLaterMessagesAreDropped() throws Exception {
        try (var a = new TestMember(1, TestMember.config(1, 8), "http", 0, TestMember.NO_SNAPSHOTS); var b = TestMember.plain(2)) {
            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(app(1, 2, 0)));
            b.handler.take(1, WAIT);
            var gate = new java.util.concurrent.CountDownLatch(1);
            b.handler.gate = gate;
            // 64 KiB messages: the stream's flow-control window fills after a few, then the queue, then send() drops
            com.google.protobuf.ByteString payload = com.google.protobuf.ByteString.copyFrom(new byte[64 << 10]);
            int n = 2000;
            for (int i = 1; i <= n; i++) {
                a.transport.send(List.of(app(1, 2, i).toBuilder().setContext(payload).build()));
            }
            assertTrue(a.handler.unreachable(2) >= 1, "a full queue is reported");
            long dropped = a.transport.stats().dropped();
            assertTrue(dropped > n / 2, "most of the burst is dropped rather than buffered: " + dropped);
            gate.countDown();
            await("the messages that fit to arrive", WAIT, () -> b.handler.received.size() == n - dropped);
            long last = 0;
            for (Message m : b.handler.received) {
                assertTrue(m.getIndex() > last, "order kept across drops");
                last = m.getIndex();
            }
        }
    }

    @Test
    void aPeerWithSeveralUrlsIsReachedOnTheOneThatAnswers() throws Exception {
        try (var a = TestMember.plain(1); var b = TestMember.plain(2)) {
            var dead = TestMember.plain(9);
            URI deadUrl = dead.url;
            dead.close();
            a.transport.addPeer(2, List.of(deadUrl, b.url));
            long[] i = {0};
            await("delivery over the second URL", WAIT, () -> {
                a.transport.send(List.of(app(1, 2, ++i[0])));
                return !b.handler.received.isEmpty();
            });
        }
    }

    @Test
    void membershipChangesAtRunTime() throws Exception {
        try (var a = TestMember.plain(1); var b = TestMember.plain(2)) {
            a.transport.addPeer(2, List.of(b.url));
            assertThrows(IllegalArgumentException.class, () -> a.transport.addPeer(2, List.of(b.url)));
            assertThrows(IllegalArgumentException.class, () -> a.transport.updatePeer(7, List.of(b.url)));
            assertThrows(IllegalArgumentException.class, () -> a.transport.addPeer(1, List.of(a.url)));
            a.transport.send(List.of(app(1, 2, 1)));
            assertEquals(1, b.handler.take(1, WAIT).getFirst().getIndex());

            a.transport.removePeer(2);
            assertEquals(java.util.Set.of(), a.transport.peers());
            long dropped = a.transport.stats().dropped();
            a.transport.send(List.of(app(1, 2, 2)));
            assertEquals(dropped + 1, a.transport.stats().dropped(), "a message to a removed peer is dropped");

            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(app(1, 2, 3)));
            assertEquals(3, b.handler.take(1, WAIT).getFirst().getIndex());

            // the member moves: same id, new URL
            try (var moved = TestMember.plain(2)) {
                a.transport.updatePeer(2, List.of(moved.url));
                a.transport.send(List.of(app(1, 2, 4)));
                assertEquals(4, moved.handler.take(1, WAIT).getFirst().getIndex());
            }
            assertTrue(b.handler.received.isEmpty(), "the old URL gets nothing after the update");
        }
    }

    @Test
    void closeStopsTheTransportAndLaterSendsAreDropped() throws Exception {
        var b = TestMember.plain(2);
        var a = TestMember.plain(1);
        try (b) {
            a.transport.addPeer(2, List.of(b.url));
            a.transport.send(List.of(app(1, 2, 1)));
            b.handler.take(1, WAIT);
            a.close();
            assertEquals(java.util.Set.of(), a.transport.peers());
            a.transport.send(List.of(app(1, 2, 2)));
            assertThrows(IllegalStateException.class, () -> a.transport.addPeer(3, List.of(b.url)));
            Thread.sleep(200);
            assertTrue(b.handler.received.isEmpty());
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("kv-peer-writer-")),
                    "writer threads stopped");
        }
    }
}
