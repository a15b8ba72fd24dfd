package kv.server.node;

import static kv.server.node.RaftNodeHarness.awaitTrue;
import static kv.server.node.RaftNodeHarness.idBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kv.raft.StateRole;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Message;
import kv.server.node.RaftNodeHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of a member that is its cluster's only voter: a proposal made while raft is idle
 * is appended, synced and applied on the proposer's thread (never applied before it is durable),
 * a linearizable read barrier passes at once, and both stop when a second voter joins or the
 * member has peers from the start; with peers, an idle leader applies where an append's answer
 * arrives, never on its raft thread, and tells the followers of a commit no append carried.
 */
class RaftNodeSoleVoterTest {
    private final RaftNodeHarness harness = new RaftNodeHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anIdleSoleLeaderAppliesAProposalOnTheProposersThreadAfterSyncingIt() throws Exception {
        Member m = harness.single(1);
        awaitTrue(() -> m.node().readBarrier().isDone(), "the sole voter leads and reads pass at once");
        int inline = 0;
        for (long id = 1; id <= 50; id++) {
            CompletableFuture<Object> done = m.node().register(id);
            m.node().propose(id, idBytes(id));
            if (done.isDone()) {
                inline++;
                assertEquals(Thread.currentThread().getName(), m.machine().appliedOn.get(id));
            }
            assertEquals("applied " + id, done.get(5, TimeUnit.SECONDS));
        }
        // the raft thread may be busy with a tick now and then; then the proposal waits for it
        assertTrue(inline >= 40, "proposals applied on the caller's thread: " + inline);
        assertEquals(List.of(), m.machine().appliedBeforeSynced);
        assertEquals(50, m.machine().applied.size());
        assertTrue(m.machine().inLogOrder(), "applied in log order, each once");
    }

    @Test
    void proposalsFromManyThreadsAreAllAppliedOnceInLogOrder() throws Exception {
        Member m = harness.single(1);
        awaitTrue(() -> m.node().readBarrier().isDone(), "leader");
        List<CompletableFuture<Object>> all = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long base = 1000L * (t + 1);
            threads.add(Thread.ofPlatform().start(() -> {
                for (long id = base; id < base + 200; id++) {
                    all.add(m.node().register(id));
                    m.node().propose(id, idBytes(id));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(800, m.machine().applied.size());
        assertEquals(800, new java.util.HashSet<>(m.machine().applied).size());
        assertTrue(m.machine().inLogOrder(), "applied in log order, each once");
        assertEquals(List.of(), m.machine().appliedBeforeSynced);
    }

    @Test
    void aSecondVoterEndsTheShortcuts() throws Exception {
        Member m = harness.single(1);
        awaitTrue(() -> m.node().readBarrier().isDone(), "leader");
        CompletableFuture<Object> added = m.node().register(7);
        m.node().proposeConfChange(7, ConfChangeV2.newBuilder()
                .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_NODE).setNodeId(2))
                .setContext(ByteString.copyFrom(idBytes(7))).build());
        ConfState after = (ConfState) added.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(1L, 2L), after.getVotersList().stream().sorted().toList());
        // member 2 never answers: no quorum confirms a read, and a proposal cannot commit
        CompletableFuture<Long> read = m.node().readBarrier();
        CompletableFuture<Object> put = m.node().register(8);
        m.node().propose(8, idBytes(8));
        Thread.sleep(300);
        assertFalse(read.isDone(), "a read waits for a quorum of two");
        assertFalse(put.isDone(), "a write waits for a quorum of two");
        assertFalse(m.machine().applied.contains(8L));
    }

    @Test
    void withPeersALeaderAppliesWhereTheAnswerArrivesNeverOnItsRaftThreadAndReadsTakeAReadIndexRound() throws Exception {
        Map<Long, RaftNode> byId = new ConcurrentHashMap<>();
        // one delivery thread per member, as kvd's peer transport thread
        Map<Long, java.util.concurrent.ExecutorService> wires = new ConcurrentHashMap<>();
        for (long id : new long[] {1, 2}) {
            wires.put(id, java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "net-to-" + id)));
        }
        java.util.concurrent.atomic.AtomicInteger heartbeats = new java.util.concurrent.atomic.AtomicInteger();
        Transport net = new Transport() {
            @Override
            public void send(List<Message> messages) {
                for (Message msg : messages) {
                    if (msg.getType() == kv.raft.raftpb.MessageType.MSG_HEARTBEAT) {
                        heartbeats.incrementAndGet();
                    }
                    wires.get(msg.getTo()).execute(() -> {
                        RaftNode to = byId.get(msg.getTo());
                        if (to != null) {
                            to.receive(msg);
                        }
                    });
                }
            }

            @Override
            public void close() {}
        };
        try {
            // a heartbeat (which also carries the commit index) every second only
            Member a = harness.start(1, List.of(1L, 2L), net, false, 100);
            Member b = harness.start(2, List.of(1L, 2L), net, false, 100);
            byId.put(1L, a.node());
            byId.put(2L, b.node());
            awaitTrue(() -> a.node().softState().role() == StateRole.LEADER || b.node().softState().role() == StateRole.LEADER, "a leader");
            Member leader = a.node().softState().role() == StateRole.LEADER ? a : b;
            long leaderId = leader == a ? 1 : 2;
            for (long id = 1; id <= 20; id++) {
                CompletableFuture<Object> done = leader.node().register(id);
                leader.node().propose(id, idBytes(id));
                assertEquals("applied " + id, done.get(5, TimeUnit.SECONDS));
            }
            List<String> threads = leader.machine().applied.stream().map(leader.machine().appliedOn::get).toList();
            assertFalse(threads.contains("raft"), "with peers the raft thread never applies: " + threads);
            assertTrue(threads.contains("net-to-" + leaderId), "an idle leader applies where the answer arrived: " + threads);
            assertEquals(List.of(), leader.machine().appliedBeforeSynced);
            assertTrue(leader.machine().inLogOrder(), "applied in log order, each once");
            leader.node().readBarrier().get(5, TimeUnit.SECONDS);
            assertFalse(leader.node().readBarrier().isDone(), "a read with a peer needs the peer's confirmation first");
            // the follower hears of the last commit although no append follows it: the leader tells it
            // after a millisecond, not with the next heartbeat (a second later; tried again if one
            // happens to go out meanwhile)
            Member follower = leader == a ? b : a;
            boolean toldWithoutHeartbeat = false;
            for (long id = 21; id <= 23 && !toldWithoutHeartbeat; id++) {
                CompletableFuture<Object> done = leader.node().register(id);
                leader.node().propose(id, idBytes(id));
                done.get(5, TimeUnit.SECONDS);
                int before = heartbeats.get();
                long last = id;
                awaitTrue(() -> follower.machine().applied.contains(last), "the follower applies write " + last);
                toldWithoutHeartbeat = heartbeats.get() == before;
            }
            assertTrue(toldWithoutHeartbeat, "the follower learned of the last commit without a heartbeat");
        } finally {
            wires.values().forEach(java.util.concurrent.ExecutorService::shutdownNow);
        }
    }
}
