package kv.server.node;

import static kv.server.node.RaftNodeHarness.awaitTrue;
import static kv.server.node.RaftNodeHarness.idBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import kv.raft.StateRole;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.server.node.RaftNodeHarness.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Linearizable reads on 3 members over a network the test can cut and delay: a leader that lost
 * its office without knowing it (a paused process, here one cut off without check-quorum) never
 * takes a late answer to a heartbeat it sent for another member's read as the confirmation of its
 * own, and serves its read only once it has what the new leader wrote. A member that stops fails
 * the reads still waiting instead of leaving them to their clients' deadlines.
 */
class RaftNodeReadIndexTest {
    private final RaftNodeHarness harness = new RaftNodeHarness();
    private final Map<Long, RaftNode> byId = new ConcurrentHashMap<>();
    private final Map<Long, ExecutorService> wires = new ConcurrentHashMap<>();
    private final List<Message> held = new CopyOnWriteArrayList<>();
    private volatile Predicate<Message> hold = m -> false;
    private volatile Predicate<Message> drop = m -> false;

    @AfterEach
    void close() {
        harness.close();
        wires.values().forEach(ExecutorService::shutdownNow);
    }

    @Test
    void aDeposedLeaderDoesNotTakeALateAnswerToAnotherReadsHeartbeatForAConfirmationOfItsOwn() throws Exception {
        List<Member> members = List.of(start(1), start(2), start(3));
        awaitTrue(() -> members.stream().filter(m -> m.node().softState().role() == StateRole.LEADER).count() == 1
                && members.stream().map(m -> m.node().softState().lead()).distinct().count() == 1, "one leader all know");
        Member old = members.stream().filter(m -> m.node().softState().role() == StateRole.LEADER).findFirst().orElseThrow();
        long oldId = old.node().softState().lead();
        List<Member> others = members.stream().filter(m -> m != old).toList();
        Member reader = others.get(0);
        long lateId = others.get(1).node().status().id();

        // a follower's read: the other follower's answers to the heartbeats that confirm it are held back
        hold = m -> m.getType() == MessageType.MSG_HEARTBEAT_RESP && m.getFrom() == lateId && m.getTo() == oldId
                && !m.getContext().isEmpty();
        reader.node().readBarrier().get(5, TimeUnit.SECONDS);
        awaitTrue(() -> !held.isEmpty(), "an answer to a heartbeat that carried the follower's read");

        // the leader is cut off (and, without check-quorum, goes on believing it leads): the others
        // elect a leader of their own, which commits a write
        drop = m -> m.getFrom() == oldId || m.getTo() == oldId;
        awaitTrue(() -> others.stream().anyMatch(m -> m.node().softState().role() == StateRole.LEADER), "a new leader");
        Member leader = others.stream().filter(m -> m.node().softState().role() == StateRole.LEADER).findFirst().orElseThrow();
        CompletableFuture<Object> written = leader.node().register(1);
        leader.node().propose(1, idBytes(1));
        assertEquals("applied 1", written.get(5, TimeUnit.SECONDS));
        assertEquals(StateRole.LEADER, old.node().softState().role(), "the cut-off leader does not know it was replaced");

        // a read on the deposed leader, then the late answers arrive
        CompletableFuture<Boolean> seesWrite = old.node().readBarrier().thenApply(i -> old.machine().applied.contains(1L));
        held.forEach(m -> wires.get(oldId).execute(() -> old.node().receive(m)));
        Thread.sleep(500);
        assertFalse(seesWrite.isDone(), "a read confirmed on a leader no quorum follows (it would miss the new leader's write)");

        // healed, it learns of the new term and serves the read after catching up
        drop = m -> false;
        assertTrue(seesWrite.get(5, TimeUnit.SECONDS), "the read waited for the write the new leader committed");
    }

    @Test
    void readsStillWaitingWhenTheMemberStopsFailAtOnceAndSoDoLaterOnes() throws Exception {
        Member m = harness.start(1, List.of(1L, 2L), new Transport() {
            @Override
            public void send(List<Message> messages) {}

            @Override
            public void close() {}
        }, false);
        CompletableFuture<Long> waiting = m.node().readBarrier(); // member 2 never answers: no leader
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        m.node().close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.SECONDS));
        assertInstanceOf(NodeStoppedException.class, e.getCause());
        ExecutionException later = assertThrows(ExecutionException.class, () -> m.node().readBarrier().get(1, TimeUnit.SECONDS));
        assertInstanceOf(NodeStoppedException.class, later.getCause());
    }

    private Member start(long id) {
        wires.put(id, Executors.newSingleThreadExecutor(r -> new Thread(r, "net-to-" + id)));
        Member m = harness.start(id, List.of(1L, 2L, 3L), new Transport() {
            @Override
            public void send(List<Message> messages) {
                for (Message msg : messages) {
                    if (hold.test(msg)) {
                        held.add(msg);
                    } else if (!drop.test(msg)) {
                        wires.get(msg.getTo()).execute(() -> {
                            RaftNode to = byId.get(msg.getTo());
                            if (to != null && !drop.test(msg)) {
                                to.receive(msg);
                            }
                        });
                    }
                }
            }

            @Override
            public void close() {}
        }, false);
        byId.put(id, m.node());
        return m;
    }
}
