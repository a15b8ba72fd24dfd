package kv.raft;

import static kv.raft.RaftTests.*;
import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import kv.raft.RaftConfig.TestingFault;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import org.junit.jupiter.api.Test;

/**
 * Each test-only fault breaks exactly the rule it names: the same scenario passes without it
 * (see {@link PaperTest}) and violates the rule with it, so a simulator can rely on them.
 */
class TestingFaultTest {
    private static final long[] THREE = {1, 2, 3};

    @Test
    void commitPreviousTermByCountingViolatesFigure8Rule() {
        Raft r = PaperTest.figure8Leader(config(1).withTestingFaults(Set.of(TestingFault.COMMIT_PREVIOUS_TERM_BY_COUNTING)));
        r.step(msg(MessageType.MSG_APP_RESP, 2, 1, r.term).setIndex(2).build());
        assertEquals(2, r.raftLog.committed, "the faulty leader commits a term-2 entry by counting replicas");
    }

    @Test
    void acceptStaleTermAppend() {
        Raft good = raft(config(1), storage(THREE));
        Raft bad = raft(config(1).withTestingFaults(Set.of(TestingFault.ACCEPT_STALE_TERM_APPEND)), storage(THREE));
        for (Raft r : List.of(good, bad)) {
            r.becomeFollower(2, 0);
            r.step(msg(MessageType.MSG_APP, 2, 1, 1).addEntries(ent(1, 1)).build());
        }
        assertEquals(0, good.raftLog.lastIndex());
        assertEquals(1, bad.raftLog.lastIndex(), "the faulty follower appends from a deposed leader");
    }

    @Test
    void grantVoteTwiceInTerm() {
        Raft r = raft(config(1).withTestingFaults(Set.of(TestingFault.GRANT_VOTE_TWICE_IN_TERM)), storage(THREE));
        r.becomeFollower(1, 0);
        r.step(msg(MessageType.MSG_VOTE, 2, 1, 1).build());
        r.step(msg(MessageType.MSG_VOTE, 3, 1, 1).build());
        List<Message> ms = read(r);
        assertFalse(ms.get(0).getReject());
        assertFalse(ms.get(1).getReject(), "the faulty voter grants a second candidate in the same term");
    }

    @Test
    void skipVotePersistLeavesVoteOutOfReady() {
        Cluster ok = new Cluster(3, UnaryOperator.identity());
        Cluster bad = new Cluster(3, cfg -> cfg.id() == 2 ? cfg.withTestingFaults(Set.of(TestingFault.SKIP_VOTE_PERSIST)) : cfg);
        for (Cluster c : List.of(ok, bad)) {
            c.elect(1);
        }
        assertEquals(1, ok.get(2).storage.initialState().hardState().getVote());
        assertEquals(0, bad.get(2).storage.initialState().hardState().getVote(), "the vote never reached storage");
        // After a crash the faulty member can vote again in the same term.
        bad.crash(2);
        bad.restart(2);
        RawNode n = bad.get(2).node;
        n.step(msg(MessageType.MSG_VOTE, 3, 2, 1).setLogTerm(1).setIndex(10).build());
        Ready rd = n.ready();
        assertTrue(rd.messages().stream().anyMatch(m -> m.getType() == MessageType.MSG_VOTE_RESP && !m.getReject()));
    }

    @Test
    void confirmReadIndexAtOnceSkipsTheHeartbeatRound() {
        Raft r = PaperTest.leaderOfThree(config(1).withTestingFaults(Set.of(TestingFault.CONFIRM_READ_INDEX_AT_ONCE)));
        ByteString ctx = ByteString.copyFromUtf8("ctx");
        r.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(1).addEntries(Entry.newBuilder().setData(ctx)).build());
        assertEquals(List.of(new ReadState(r.raftLog.committed, ctx)), r.readStates, "the faulty leader answers before any follower confirms it");
        assertTrue(read(r).isEmpty(), "and sends no heartbeat for it");
    }
}
