package kv.raft;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import org.junit.jupiter.api.Test;

/** The public API as the server and the simulator use it. */
class RawNodeTest {
    private static List<String> data(List<Entry> es) {
        return es.stream().filter(e -> e.getType() == EntryType.ENTRY_NORMAL && !e.getData().isEmpty())
                .map(e -> e.getData().toStringUtf8()).toList();
    }

    @Test
    void proposalsAreCommittedOnEveryMember() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(1).node.propose("a".getBytes());
        c.get(2).node.propose("b".getBytes()); // forwarded to the leader
        c.stabilize();
        for (Cluster.Member m : c.members.values()) {
            assertEquals(List.of("a", "b"), data(m.applied), "member " + m.id);
        }
    }

    @Test
    void proposalWithoutLeaderIsDropped() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        ProposalDroppedException e = assertThrows(ProposalDroppedException.class, () -> c.get(1).node.propose("x".getBytes()));
        assertEquals("raft proposal dropped", e.getMessage());
    }

    @Test
    void proposalOnFollowerIsDroppedWhenForwardingIsDisabled() {
        Cluster c = new Cluster(3, cfg -> cfg.withDisableProposalForwarding(true));
        c.elect(1);
        assertThrows(ProposalDroppedException.class, () -> c.get(2).node.propose("x".getBytes()));
    }

    @Test
    void uncommittedSizeLimitDropsProposals() {
        Cluster c = new Cluster(3, cfg -> cfg.withMaxUncommittedEntriesSize(10));
        c.elect(1);
        c.crash(2);
        c.crash(3);
        RawNode n = c.get(1).node;
        n.propose(new byte[8]);
        assertThrows(ProposalDroppedException.class, () -> n.propose(new byte[8]));
    }

    @Test
    void restartFromStorageKeepsTermVoteAndLog() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(1).node.propose("a".getBytes());
        c.stabilize();
        Status before = c.get(2).node.status();
        c.crash(2);
        c.restart(2);
        c.stabilize();
        Status after = c.get(2).node.status();
        assertEquals(before.term(), after.term());
        assertEquals(before.vote(), after.vote());
        assertEquals(before.commit(), after.commit());
        assertEquals(before.applied(), after.applied());
        c.get(1).node.propose("b".getBytes());
        c.stabilize();
        assertEquals(List.of("a", "b"), data(c.get(2).applied));
    }

    @Test
    void restartedLeaderLosesNothingCommitted() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(1).node.propose("a".getBytes());
        c.stabilize();
        c.crash(1);
        c.elect(2);
        c.get(2).node.propose("b".getBytes());
        c.stabilize();
        c.restart(1);
        for (int i = 0; i < 3; i++) {
            c.get(2).node.tick();
        }
        c.stabilize();
        assertEquals(List.of("a", "b"), data(c.get(1).applied));
        assertEquals(2, c.leader());
    }

    @Test
    void bootstrapStartsAClusterFromEmptyStorage() {
        MemoryStorage s = new MemoryStorage();
        RawNode n = new RawNode(RaftConfig.of(1, new SplittableRandom(1)), s);
        n.bootstrap(List.of(1L));
        Ready rd = n.ready();
        assertEquals(1, rd.entries().size());
        assertEquals(1, rd.committedEntries().size());
        assertEquals(HardState.newBuilder().setTerm(1).setCommit(1).build(), rd.hardState());
        s.append(rd.entries());
        s.setHardState(rd.hardState());
        for (Entry e : rd.committedEntries()) {
            n.applyConfChange(ConfChanges.decode(e));
        }
        n.advance(rd);
        n.campaign();
        assertEquals(StateRole.LEADER, n.status().role());
        assertThrows(IllegalStateException.class, () -> new RawNode(RaftConfig.of(1, new SplittableRandom(1)), s).bootstrap(List.of(1L)));
    }

    @Test
    void readIndexOnFollowerIsAnsweredThroughTheLeader() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(3).node.readIndex("req".getBytes());
        // Collect the read state from the Ready handled during stabilization.
        Cluster.Member f = c.get(3);
        Ready first = f.node.ready();
        c.network.addAll(first.messages());
        f.node.advance(first);
        ReadState got = null;
        for (int round = 0; round < 10 && got == null; round++) {
            for (Cluster.Member m : c.members.values()) {
                if (m.id != 3 && m.node.hasReady()) {
                    c.handleReady(m);
                }
            }
            while (!c.network.isEmpty()) {
                Message msg = c.network.poll();
                c.get(msg.getTo()).node.step(msg);
            }
            if (f.node.hasReady()) {
                Ready rd = f.node.ready();
                if (!rd.readStates().isEmpty()) {
                    got = rd.readStates().getFirst();
                }
                c.network.addAll(rd.messages());
                f.node.advance(rd);
            }
        }
        assertNotNull(got);
        assertEquals(ByteString.copyFromUtf8("req"), got.requestCtx());
        assertEquals(c.get(1).node.status().commit(), got.index());
    }

    @Test
    void leaseBasedReadIsAnsweredWithoutHeartbeatRound() {
        Cluster c = new Cluster(3, cfg -> cfg.withCheckQuorum(true).withReadOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED));
        c.elect(1);
        RawNode leader = c.get(1).node;
        leader.readIndex("r".getBytes());
        Ready rd = leader.ready();
        assertEquals(List.of(new ReadState(leader.status().commit(), ByteString.copyFromUtf8("r"))), rd.readStates());
        assertTrue(rd.messages().isEmpty(), "no heartbeat round under a lease");
        leader.advance(rd);
    }

    @Test
    void transferLeadership() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(1).node.transferLeader(3);
        c.stabilize();
        assertEquals(3, c.leader());
    }

    @Test
    void inflightWindowAndMessageSizeBoundReplication() {
        Cluster c = new Cluster(3, cfg -> cfg.withMaxInflightMsgs(2).withMaxSizePerMsg(0));
        c.elect(1);
        RawNode leader = c.get(1).node;
        for (int i = 0; i < 5; i++) {
            leader.propose(("p" + i).getBytes());
        }
        Ready rd = leader.ready();
        long toTwo = rd.messages().stream().filter(m -> m.getTo() == 2 && m.getType() == MessageType.MSG_APP).count();
        assertEquals(2, toTwo, "at most maxInflightMsgs appends outstanding");
        rd.messages().forEach(m -> assertTrue(m.getEntriesCount() <= 1, "maxSizePerMsg 0 means one entry per message"));
        assertEquals(2, leader.status().progress().get(2L).inflight());
        assertEquals(ProgressState.REPLICATE, leader.status().progress().get(2L).state());
        c.network.addAll(rd.messages());
        c.get(1).storage.append(rd.entries());
        leader.advance(rd);
        c.stabilize();
        assertEquals(5, data(c.get(2).applied).size());
    }

    @Test
    void conf_change_v1_adds_a_member() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(1).node.proposeConfChange(ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE).setNodeId(3).build());
        c.stabilize();
        assertEquals(List.of(1L, 2L), c.get(1).node.status().config().getVotersList());
        assertFalse(c.get(1).node.status().progress().containsKey(3L));
    }

    @Test
    void stepRejectsLocalMessagesAndUnknownPeers() {
        RawNode n = new RawNode(RaftConfig.of(1, new SplittableRandom(1)), MemoryStorage.withVoters(1, 2));
        assertThrows(StepException.class, () -> n.step(Message.newBuilder().setType(MessageType.MSG_HUP).build()));
        assertThrows(StepException.class, () -> n.step(Message.newBuilder().setType(MessageType.MSG_APP_RESP).setFrom(9).setTerm(1).build()));
    }

    @Test
    void reportSnapshotAndUnreachableMoveTheFollowerToProbe() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        RawNode leader = c.get(1).node;
        assertEquals(ProgressState.REPLICATE, leader.status().progress().get(3L).state());
        leader.reportUnreachable(3);
        assertEquals(ProgressState.PROBE, leader.status().progress().get(3L).state());

        leader.raft().prs.progress.get(2L).becomeSnapshot(10);
        leader.reportSnapshot(2, false);
        Progress p = leader.status().progress().get(2L);
        assertEquals(ProgressState.PROBE, p.state());
        assertEquals(0, p.pendingSnapshot());
        assertTrue(p.probeSent(), "waits for a heartbeat response before probing again");
    }

    @Test
    void batchProposalIsAppendedInOrder() {
        Cluster c = new Cluster(3, UnaryOperator.identity());
        c.elect(1);
        c.get(2).node.propose(List.of(ByteString.copyFromUtf8("x"), ByteString.copyFromUtf8("y"), ByteString.copyFromUtf8("z")));
        c.stabilize();
        assertEquals(List.of("x", "y", "z"), data(c.get(3).applied));
        assertThrows(IllegalArgumentException.class, () -> c.get(1).node.propose(List.of()));
    }

    @Test
    void faultsAreOffByDefault() {
        assertTrue(RaftConfig.of(1, new SplittableRandom(1)).testingFaults().isEmpty());
    }
}
