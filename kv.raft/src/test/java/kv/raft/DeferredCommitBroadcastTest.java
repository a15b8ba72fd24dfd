package kv.raft;

import static kv.raft.RaftTests.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import org.junit.jupiter.api.Test;

/** A leader that defers telling followers of a commit ({@link RaftConfig#deferCommitBroadcast}). */
class DeferredCommitBroadcastTest {
    private final MemoryStorage storage = storage(1, 2, 3);

    /** Persists and applies a Ready as the server does; returns its messages. */
    private List<Message> ready(RawNode n) {
        Ready rd = n.ready();
        storage.append(rd.entries());
        if (rd.hasHardState()) {
            storage.setHardState(rd.hardState());
        }
        n.advance(rd);
        return rd.messages();
    }

    private static Message ack(long from, long index) {
        return msg(MessageType.MSG_APP_RESP, from, 1, 1).setIndex(index).build();
    }

    /** Leader of {1,2,3} in term 1 whose first entry both followers hold and it has applied. */
    private RawNode leader(boolean defer) {
        RawNode n = new RawNode(config(1).withDeferredCommitBroadcast(defer), storage, QUIET);
        n.campaign();
        ready(n);
        n.step(msg(MessageType.MSG_VOTE_RESP, 2, 1, 1).build());
        ready(n);
        n.step(ack(2, 1));
        n.step(ack(3, 1));
        ready(n);
        assertEquals(StateRole.LEADER, n.status().role());
        assertEquals(1, n.status().applied());
        return n;
    }

    private static List<Message> appends(List<Message> out) {
        return out.stream().filter(m -> m.getType() == MessageType.MSG_APP).toList();
    }

    /** One append to each follower (2 and 3), each carrying {@code commit} and {@code entries} entries. */
    private static void assertAppendsToBoth(List<Message> out, long commit, int entries) {
        assertEquals(List.of(2L, 3L), out.stream().map(Message::getTo).toList());
        out.forEach(m -> {
            assertEquals(commit, m.getCommit(), "the commit index the append carries");
            assertEquals(entries, m.getEntriesCount());
        });
    }

    @Test
    void withoutDeferralEveryCommitIsBroadcastAtOnce() {
        RawNode n = leader(false);
        n.propose("a".getBytes());
        ready(n);
        n.step(ack(2, 2));
        assertAppendsToBoth(appends(ready(n)), 2, 0);
        assertFalse(n.commitUntold());
    }

    @Test
    void deferredCommitTravelsWithTheNextAppend() {
        RawNode n = leader(true);
        n.propose("a".getBytes());
        ready(n);
        n.step(ack(2, 2));
        assertEquals(2, n.status().commit());
        assertTrue(n.commitUntold());
        assertEquals(List.of(), appends(ready(n)), "no empty append for the commit alone");

        n.propose("b".getBytes());
        assertAppendsToBoth(appends(ready(n)), 2, 1);
        assertFalse(n.commitUntold());
    }

    @Test
    void broadcastCommitTellsTheFollowersWhenNoAppendFollows() {
        RawNode n = leader(true);
        n.propose("a".getBytes());
        ready(n);
        n.step(ack(3, 2));
        ready(n);
        n.broadcastCommit();
        assertAppendsToBoth(appends(ready(n)), 2, 0);
        assertFalse(n.commitUntold());
        n.broadcastCommit();
        assertEquals(List.of(), ready(n), "nothing left to tell");
    }

    @Test
    void aConfChangeIsBroadcastAtOnce() throws Exception {
        RawNode n = leader(true);
        n.proposeConfChange(ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE).setNodeId(4).build());
        ready(n);
        n.step(ack(2, 2));
        assertFalse(n.commitUntold(), "members apply a conf change as soon as they can");
        assertAppendsToBoth(appends(ready(n)), 2, 0);
    }

    @Test
    void aForwardedProposalIsToldAtOnce() {
        RawNode n = leader(true);
        n.step(msg(MessageType.MSG_PROP, 2, 1, 0).addEntries(kv.raft.raftpb.Entry.newBuilder()
                .setData(com.google.protobuf.ByteString.copyFromUtf8("from 2"))).build());
        n.propose("local".getBytes());
        ready(n);
        n.step(ack(3, 2));
        assertFalse(n.commitUntold(), "member 2's client waits for member 2 to apply entry 2");
        assertAppendsToBoth(appends(ready(n)), 2, 0);
        n.step(ack(3, 3));
        assertTrue(n.commitUntold(), "entry 3 was proposed by the leader itself");
        assertEquals(List.of(), appends(ready(n)));
    }

    @Test
    void aFollowerNeverHoldsAnUntoldCommit() {
        RawNode n = new RawNode(config(2).withDeferredCommitBroadcast(true), storage, QUIET);
        n.step(msg(MessageType.MSG_HEARTBEAT, 1, 2, 1).build());
        assertFalse(n.commitUntold());
        n.broadcastCommit();
        assertEquals(List.of(MessageType.MSG_HEARTBEAT_RESP), ready(n).stream().map(Message::getType).toList());
    }
}
