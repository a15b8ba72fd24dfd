package kv.raft;

import static kv.raft.RaftTests.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests that each check one statement of the Raft paper (Ongaro and Ousterhout, "In Search of an
 * Understandable Consensus Algorithm", extended version) or of Ongaro's thesis, cited by section.
 */
class PaperTest {
    private static final long[] THREE = {1, 2, 3};

    private static Raft leaderOfThree() {
        return leaderOfThree(config(1));
    }

    /** Member 1 of three, elected and replicating to both followers, with {@code cfg}. */
    static Raft leaderOfThree(RaftConfig cfg) {
        Raft r = raft(cfg, storage(THREE));
        r.step(hup(1));
        r.step(msg(MessageType.MSG_VOTE_RESP, 2, 1, 1).build());
        assertEquals(StateRole.LEADER, r.state);
        // Both followers acknowledge the leader's empty entry, so they are replicating.
        r.step(msg(MessageType.MSG_APP_RESP, 2, 1, 1).setIndex(r.raftLog.lastIndex()).build());
        r.step(msg(MessageType.MSG_APP_RESP, 3, 1, 1).setIndex(r.raftLog.lastIndex()).build());
        read(r);
        return r;
    }

    // ---- §5.1 ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = StateRole.class, names = {"FOLLOWER", "CANDIDATE", "LEADER"})
    @DisplayName("§5.1: a server that sees a larger term updates its term and reverts to follower")
    void updateTermFromMessage(StateRole role) {
        Raft r = raft(1, THREE);
        if (role == StateRole.CANDIDATE || role == StateRole.LEADER) {
            r.step(hup(1));
        }
        if (role == StateRole.LEADER) {
            r.step(msg(MessageType.MSG_VOTE_RESP, 2, 1, r.term).build());
        }
        assertEquals(role, r.state);
        r.step(msg(MessageType.MSG_APP, 2, 1, 5).build());
        assertEquals(5, r.term);
        assertEquals(StateRole.FOLLOWER, r.state);
        assertEquals(2, r.lead);
    }

    @Test
    @DisplayName("§5.1: a request with a stale term is ignored")
    void rejectStaleTermMessage() {
        Raft r = raft(1, THREE);
        r.becomeFollower(2, 0);
        r.step(msg(MessageType.MSG_APP, 2, 1, 1).addEntries(ent(1, 1)).build());
        assertEquals(0, r.raftLog.lastIndex());
        assertEquals(2, r.term);
        assertTrue(read(r).isEmpty());
    }

    @Test
    @DisplayName("§5.1: a vote request with a stale term is rejected with the current term when no leader is known")
    void rejectStaleTermVoteWithoutLeader() {
        Raft r = raft(1, THREE);
        r.becomeFollower(5, 0);
        r.step(msg(MessageType.MSG_VOTE, 2, 1, 3).setLogTerm(1).setIndex(9).build());
        List<Message> out = read(r);
        assertEquals(1, out.size());
        assertEquals(MessageType.MSG_VOTE_RESP, out.getFirst().getType());
        assertTrue(out.getFirst().getReject());
        assertEquals(5, out.getFirst().getTerm());
        assertEquals(0, r.vote);

        // the candidate learns the term, and can campaign above it
        Raft c = raft(2, THREE);
        c.becomeFollower(2, 0);
        c.step(hup(2));
        assertEquals(3, c.term);
        c.step(out.getFirst().toBuilder().setFrom(1).setTo(2).build());
        assertEquals(StateRole.FOLLOWER, c.state);
        assertEquals(5, c.term);
    }

    @Test
    @DisplayName("§5.1: with a leader known, a stale vote request is ignored (a removed member is not drawn into raising its term)")
    void ignoreStaleTermVoteWithLeader() {
        Raft r = raft(1, THREE);
        r.becomeFollower(5, 3);
        r.step(msg(MessageType.MSG_VOTE, 2, 1, 3).setLogTerm(1).setIndex(9).build());
        assertTrue(read(r).isEmpty());
    }

    @Test
    @DisplayName("§5.2: servers start up as followers")
    void startAsFollower() {
        Raft r = raft(1, THREE);
        assertEquals(StateRole.FOLLOWER, r.state);
        assertEquals(0, r.term);
    }

    // ---- §5.2 ----------------------------------------------------------------------------------

    @Test
    @DisplayName("§5.2: a leader sends periodic heartbeats to all followers")
    void leaderBcastBeat() {
        Raft r = leaderOfThree();
        for (int i = 0; i < r.cfg.heartbeatTick(); i++) {
            r.tick();
        }
        List<Message> ms = read(r);
        assertEquals(2, ms.size());
        for (Message m : ms) {
            assertEquals(MessageType.MSG_HEARTBEAT, m.getType());
            assertEquals(1, m.getTerm());
        }
        assertEquals(Set.of(2L, 3L), Set.of(ms.get(0).getTo(), ms.get(1).getTo()));
    }

    @ParameterizedTest
    @EnumSource(value = StateRole.class, names = {"FOLLOWER", "CANDIDATE"})
    @DisplayName("§5.2: after an election timeout a follower or candidate increments its term, votes for itself and requests votes")
    void startNewElection(StateRole role) {
        Raft r = raft(1, THREE);
        if (role == StateRole.CANDIDATE) {
            r.step(hup(1));
            read(r);
        }
        long before = r.term;
        for (int i = 0; i < 2 * r.cfg.electionTick(); i++) {
            r.tick();
        }
        assertEquals(before + 1, r.term);
        assertEquals(StateRole.CANDIDATE, r.state);
        assertEquals(1, r.vote);
        List<Message> ms = read(r);
        assertEquals(2, ms.size());
        ms.forEach(m -> assertEquals(MessageType.MSG_VOTE, m.getType()));
    }

    @Test
    @DisplayName("§5.2: a candidate wins with votes from a majority, loses with rejections from a majority")
    void leaderElectionInOneRoundRPC() {
        record Case(int size, Set<Long> granted, Set<Long> rejected, StateRole want) {}
        List<Case> cases = List.of(
                new Case(1, Set.of(), Set.of(), StateRole.LEADER),
                new Case(3, Set.of(2L, 3L), Set.of(), StateRole.LEADER),
                new Case(3, Set.of(2L), Set.of(), StateRole.LEADER),
                new Case(5, Set.of(2L, 3L), Set.of(), StateRole.LEADER),
                new Case(5, Set.of(2L), Set.of(), StateRole.CANDIDATE),
                new Case(3, Set.of(), Set.of(2L, 3L), StateRole.FOLLOWER),
                new Case(5, Set.of(), Set.of(2L, 3L, 4L), StateRole.FOLLOWER),
                new Case(5, Set.of(2L), Set.of(3L, 4L), StateRole.CANDIDATE));
        for (Case c : cases) {
            long[] ids = new long[c.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i + 1;
            }
            Raft r = raft(1, ids);
            r.step(hup(1));
            for (long id : c.granted()) {
                r.step(msg(MessageType.MSG_VOTE_RESP, id, 1, r.term).build());
            }
            for (long id : c.rejected()) {
                r.step(msg(MessageType.MSG_VOTE_RESP, id, 1, r.term).setReject(true).build());
            }
            assertEquals(c.want(), r.state, c.toString());
            assertEquals(1, r.term);
        }
    }

    @Test
    @DisplayName("§5.2: each server votes for at most one candidate in a term, first-come-first-served")
    void followerVote() {
        Raft r = raft(1, THREE);
        r.becomeFollower(1, 0);
        r.step(msg(MessageType.MSG_VOTE, 2, 1, 1).build());
        r.step(msg(MessageType.MSG_VOTE, 3, 1, 1).build());
        r.step(msg(MessageType.MSG_VOTE, 2, 1, 1).build());
        List<Message> ms = read(r);
        assertEquals(3, ms.size());
        assertFalse(ms.get(0).getReject());
        assertTrue(ms.get(1).getReject(), "second candidate in the same term must be rejected");
        assertFalse(ms.get(2).getReject(), "a repeated request from the same candidate is granted again");
        assertEquals(2, r.vote);
    }

    @Test
    @DisplayName("§5.2: a candidate that receives an append from a leader of at least its term becomes follower")
    void candidateFallback() {
        for (long term : new long[] {1, 2}) {
            Raft r = raft(1, THREE);
            r.step(hup(1));
            assertEquals(StateRole.CANDIDATE, r.state);
            r.step(msg(MessageType.MSG_APP, 2, 1, term).build());
            assertEquals(StateRole.FOLLOWER, r.state);
            assertEquals(term, r.term);
            assertEquals(2, r.lead);
        }
    }

    @Test
    @DisplayName("§5.2: election timeouts are chosen randomly from a fixed interval [et, 2et)")
    void electionTimeoutRandomized() {
        Set<Integer> seen = new HashSet<>();
        for (long seed = 1; seed <= 200; seed++) {
            Raft r = raft(RaftConfig.of(1, new SplittableRandom(seed)).withTicks(10, 1), storage(THREE));
            int ticks = 0;
            while (r.state == StateRole.FOLLOWER) {
                r.tick();
                ticks++;
            }
            assertTrue(ticks >= 10 && ticks < 20, "timeout " + ticks);
            seen.add(ticks);
        }
        assertTrue(seen.size() > 5, "timeouts should spread over the interval: " + seen);
    }

    // ---- §5.3 ----------------------------------------------------------------------------------

    @Test
    @DisplayName("§5.3: the leader appends a command to its log and issues AppendEntries to the followers")
    void leaderStartReplication() {
        Raft r = leaderOfThree();
        long li = r.raftLog.lastIndex();
        r.step(prop(1, "some data"));
        assertEquals(li + 1, r.raftLog.lastIndex());
        List<Message> ms = read(r);
        assertEquals(2, ms.size());
        for (Message m : ms) {
            assertEquals(MessageType.MSG_APP, m.getType());
            assertEquals(li, m.getIndex());
            assertEquals(1, m.getLogTerm());
            assertEquals(List.of(ent(1, li + 1, "some data")), m.getEntriesList());
        }
    }

    @Test
    @DisplayName("§5.3: an entry is committed once the leader replicated it on a majority; the commit index is sent in later appends")
    void leaderCommitEntry() {
        Network n = Network.of(3);
        n.send(hup(1));
        n.send(prop(1, "x"));
        Raft leader = n.get(1);
        long li = leader.raftLog.lastIndex();
        assertEquals(li, leader.raftLog.committed);
        // Followers learn the commit index from the leader's next message.
        assertEquals(li, n.get(2).raftLog.committed);
        assertEquals(li, n.get(3).raftLog.committed);
    }

    @Test
    @DisplayName("§5.3: an entry replicated to only a minority is not committed")
    void leaderAcknowledgeCommitNeedsMajority() {
        Network n = Network.of(5);
        n.send(hup(1));
        long committed = n.get(1).raftLog.committed;
        n.isolate(3);
        n.isolate(4);
        n.isolate(5);
        n.send(prop(1, "x"));
        assertEquals(committed, n.get(1).raftLog.committed);
        n.recover();
        n.isolate(4);
        n.isolate(5);
        n.send(msg(MessageType.MSG_BEAT, 1, 1, 0).build());
        assertEquals(committed + 1, n.get(1).raftLog.committed, "three of five now hold it");
    }

    @Test
    @DisplayName("§5.3: a follower rejects AppendEntries whose (prevLogIndex, prevLogTerm) it does not hold")
    void followerCheckMsgApp() {
        record Case(long term, long index, boolean reject, long wantIndex) {}
        List<Case> cases = List.of(
                new Case(0, 0, false, 0),  // match the dummy entry
                new Case(1, 1, false, 1),
                new Case(2, 2, false, 2),
                new Case(1, 2, true, 2),   // term mismatch at index 2
                new Case(3, 3, true, 3));  // index beyond the log
        for (Case c : cases) {
            Raft r = raft(config(1), storageWithTerms(THREE, 1, 2));
            r.raftLog.commitTo(1);
            r.becomeFollower(2, 2);
            r.step(msg(MessageType.MSG_APP, 2, 1, 2).setLogTerm(c.term()).setIndex(c.index()).build());
            Message resp = read(r).getFirst();
            assertEquals(MessageType.MSG_APP_RESP, resp.getType());
            assertEquals(c.reject(), resp.getReject(), c.toString());
            if (!c.reject() && c.index() >= 1) {
                assertEquals(c.wantIndex(), resp.getIndex());
            }
        }
    }

    @Test
    @DisplayName("§5.3: a follower deletes a conflicting entry and all that follow it, then appends the leader's")
    void followerAppendEntries() {
        Raft r = raft(config(1), storageWithTerms(THREE, 1, 2));
        r.becomeFollower(2, 2);
        // Conflict at index 2 (term 3 vs our term 2).
        r.step(msg(MessageType.MSG_APP, 2, 1, 3).setLogTerm(1).setIndex(1).addEntries(ent(3, 2)).addEntries(ent(3, 3)).build());
        assertEquals(List.of(ent(1, 1), ent(3, 2), ent(3, 3)), r.raftLog.allEntries());
        assertEquals(List.of(ent(3, 2), ent(3, 3)), r.raftLog.unstableEntries());
    }

    @Test
    @DisplayName("§5.3: the leader backs off nextIndex after rejections until the logs agree, then repairs the follower's log")
    void leaderSyncFollowerLog() {
        long[][] followers = {
                {1, 1, 1, 4, 4, 5, 5, 6, 6},        // missing entries
                {1, 1, 1, 4},
                {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},  // extra uncommitted entry
                {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},
                {1, 1, 1, 4, 4, 4, 4},              // divergent tail
                {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3},
        };
        long[] leaderTerms = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
        for (long[] f : followers) {
            Raft lead = raft(config(1), storageWithTerms(THREE, leaderTerms));
            lead.loadStateForTest(8, 10);
            Raft follower = raft(config(2), storageWithTerms(THREE, f));
            follower.loadStateForTest(7, 0);
            // 3 votes for 1 so that 1 wins even if 2 has a longer log.
            Raft voter = raft(config(3), storage(THREE));
            Network n = new Network(lead, follower, voter);
            n.send(hup(1));
            n.send(msg(MessageType.MSG_VOTE_RESP, 3, 1, lead.term).build());
            n.send(prop(1, ""));
            assertEquals(lead.raftLog.allEntries(), follower.raftLog.allEntries(), java.util.Arrays.toString(f));
        }
    }

    // ---- §5.4 ----------------------------------------------------------------------------------

    @Test
    @DisplayName("§5.4.1: a voter denies its vote if its own log is more up-to-date than the candidate's")
    void voteRequestUpToDate() {
        record Case(long logTerm, long index, boolean reject) {}
        // Voter's log: (1,1) (2,2); last term 2, last index 2.
        List<Case> cases = List.of(
                new Case(0, 0, true), new Case(1, 1, true), new Case(1, 3, true), new Case(2, 1, true),
                new Case(2, 2, false), new Case(2, 3, false), new Case(3, 1, false), new Case(3, 2, false));
        for (Case c : cases) {
            Raft r = raft(config(1), storageWithTerms(THREE, 1, 2));
            r.step(msg(MessageType.MSG_VOTE, 2, 1, 3).setLogTerm(c.logTerm()).setIndex(c.index()).build());
            Message resp = read(r).getFirst();
            assertEquals(MessageType.MSG_VOTE_RESP, resp.getType());
            assertEquals(c.reject(), resp.getReject(), c.toString());
        }
    }

    @Test
    @DisplayName("§5.4.2: a leader never commits an entry of a previous term by counting replicas (Figure 8)")
    void leaderOnlyCommitsCurrentTermEntries() {
        Raft r = figure8Leader(config(1));
        r.step(msg(MessageType.MSG_APP_RESP, 2, 1, r.term).setIndex(2).build());
        assertEquals(0, r.raftLog.committed, "the term-2 entry at index 2 is on a majority but must not be committed");
        // Once the leader's own empty entry (index 3, current term) is on a majority, everything before it commits.
        r.step(msg(MessageType.MSG_APP_RESP, 2, 1, r.term).setIndex(3).build());
        assertEquals(3, r.raftLog.committed);
    }

    /** Leader 1 at term 3 whose log is (1,1) (2,2) plus its own empty entry (3,3). */
    static Raft figure8Leader(RaftConfig cfg) {
        Raft r = raft(cfg, storageWithTerms(THREE, 1, 2));
        r.loadStateForTest(2, 0);
        r.step(hup(1));
        r.step(msg(MessageType.MSG_VOTE_RESP, 2, 1, 3).build());
        assertEquals(StateRole.LEADER, r.state);
        assertEquals(3, r.term);
        read(r);
        return r;
    }

    // ---- §6 (membership) -------------------------------------------------------------------------

    @Test
    @DisplayName("§6 / thesis §4.3: in a joint configuration, commit needs a majority of both the old and the new voters")
    void jointConsensusCommitNeedsBothMajorities() {
        Membership joint = new Membership(new java.util.TreeSet<>(List.of(1L, 4L, 5L)), new java.util.TreeSet<>(List.of(1L, 2L, 3L)),
                new java.util.TreeSet<>(), new java.util.TreeSet<>(), false);
        java.util.Map<Long, Long> match = java.util.Map.of(1L, 10L, 2L, 10L, 3L, 10L, 4L, 5L, 5L, 4L);
        assertEquals(5, joint.committedIndex(id -> match.getOrDefault(id, -1L)));
        java.util.Map<Long, Boolean> votes = java.util.Map.of(1L, true, 2L, true, 3L, true);
        assertEquals(Membership.VoteResult.PENDING, joint.voteResult(votes), "old majority alone cannot elect");
        java.util.Map<Long, Boolean> both = java.util.Map.of(1L, true, 2L, true, 4L, true);
        assertEquals(Membership.VoteResult.WON, joint.voteResult(both));
    }

    // ---- thesis §9.6 pre-vote ------------------------------------------------------------------

    @Test
    @DisplayName("§9.6: a pre-candidate does not increment its term, and granting a pre-vote changes neither the voter's term nor vote")
    void preVoteDoesNotDisturbTerms() {
        Raft r = raft(config(1).withPreVote(true), storage(THREE));
        r.step(hup(1));
        assertEquals(StateRole.PRE_CANDIDATE, r.state);
        assertEquals(0, r.term);
        List<Message> ms = read(r);
        assertEquals(2, ms.size());
        ms.forEach(m -> {
            assertEquals(MessageType.MSG_PRE_VOTE, m.getType());
            assertEquals(1, m.getTerm(), "the pre-vote asks about the next term");
        });
        Raft voter = raft(config(2).withPreVote(true), storage(THREE));
        voter.step(ms.getFirst().toBuilder().setTo(2).build());
        Message resp = read(voter).getFirst();
        assertFalse(resp.getReject());
        assertEquals(0, voter.term);
        assertEquals(0, voter.vote);
        r.step(resp);
        assertEquals(StateRole.CANDIDATE, r.state, "a pre-vote quorum starts the real election");
        assertEquals(1, r.term);
    }

    @Test
    @DisplayName("§9.6: a partitioned member's pre-votes are rejected by up-to-date peers, so it cannot raise the term")
    void preVotePreventsDisruption() {
        Raft[] rs = new Raft[3];
        for (int i = 0; i < 3; i++) {
            rs[i] = raft(config(i + 1).withPreVote(true), storage(THREE));
        }
        Network n = new Network(rs);
        n.send(hup(1));
        n.isolate(3);
        n.send(prop(1, "x"));
        n.recover();
        n.send(hup(3));
        assertEquals(1, rs[2].term);
        assertEquals(StateRole.FOLLOWER, rs[2].state);
        assertEquals(StateRole.LEADER, rs[0].state);
        assertEquals(1, rs[0].term);
    }

    @Test
    @DisplayName("§4.2.3 (thesis, disruptive servers): with check-quorum, a follower that heard from its leader recently ignores vote requests")
    void leaseIgnoresVotes() {
        Raft r = raft(config(1).withCheckQuorum(true), storage(THREE));
        r.becomeFollower(1, 2);
        r.step(msg(MessageType.MSG_VOTE, 3, 1, 2).setLogTerm(5).setIndex(5).build());
        assertEquals(1, r.term);
        assertTrue(read(r).isEmpty());
    }

    @Test
    @DisplayName("§6.4 (thesis): a read index is the leader's commit index, answered after a quorum heartbeat round")
    void readIndexNeedsQuorumHeartbeat() {
        Raft r = leaderOfThree();
        r.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(1)
                .addEntries(Entry.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("ctx"))).build());
        assertTrue(r.readStates.isEmpty());
        List<Message> hb = read(r);
        assertEquals(2, hb.size());
        hb.forEach(m -> assertEquals("ctx", m.getContext().toStringUtf8()));
        r.step(msg(MessageType.MSG_HEARTBEAT_RESP, 3, 1, 1).setContext(hb.getFirst().getContext()).build());
        assertEquals(List.of(new ReadState(r.raftLog.committed, com.google.protobuf.ByteString.copyFromUtf8("ctx"))), r.readStates);
    }

    @Test
    @DisplayName("§6.4: a follower passes a read-index request it was sent on to its leader with its sender, so the answer goes to the member that asked")
    void forwardedReadIndexKeepsItsSender() {
        Raft r = raft(1, THREE);
        r.becomeFollower(2, 2);
        r.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(3)
                .addEntries(Entry.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("ctx"))).build());
        List<Message> out = read(r);
        assertEquals(1, out.size());
        assertEquals(2, out.getFirst().getTo());
        assertEquals(3, out.getFirst().getFrom(), "not member 1, which would get an answer to a round it never asked");
    }
}
