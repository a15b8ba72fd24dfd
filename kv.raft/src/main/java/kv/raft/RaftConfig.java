package kv.raft;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Configuration of one raft member. Immutable and validated on construction; build one with
 * {@link #of(long, RandomGenerator)} and the {@code withX} methods.
 *
 * <p>Times are counted in ticks, not wall time: the owner of a {@link RawNode} decides how long a
 * tick is and calls {@link RawNode#tick()} accordingly. Sizes are in bytes of entry payload.
 *
 * @param id this member's id (non-zero; unsigned 64-bit)
 * @param electionTick ticks a follower waits without hearing from a leader before campaigning; the
 *     actual timeout is randomized in {@code [electionTick, 2*electionTick)}
 * @param heartbeatTick ticks between a leader's heartbeats; must be less than electionTick
 * @param maxSizePerMsg byte budget of entries in one append message (0: one entry per message)
 * @param maxInflightMsgs append messages in flight to one follower in the replicate state
 * @param maxUncommittedEntriesSize byte budget of a leader's uncommitted tail; proposals beyond it
 *     are dropped (0: no limit)
 * @param checkQuorum whether a leader steps down when a quorum has not been active for an election
 *     timeout (and followers ignore votes while they have a live leader)
 * @param preVote whether an election is preceded by a pre-vote round (Raft thesis §9.6)
 * @param readOnlyOption how read-index requests are confirmed; LEASE_BASED requires checkQuorum
 * @param disableProposalForwarding whether followers drop proposals instead of forwarding them
 * @param applied the last applied index when restarting (0 for a fresh member); entries after it
 *     and up to the persisted commit index are delivered again. It must be at least the index of
 *     the storage's snapshot and at most the persisted commit index. Raft rebuilds its membership
 *     from the snapshot's ConfState and the conf changes the application applies again, so unless
 *     the application persists the ConfState of its applied index in the snapshot, restart with
 *     the snapshot index here and skip (for data) but re-apply (for conf changes) entries already
 *     applied
 * @param deferCommitBroadcast whether a leader whose commit index advances on an append response
 *     leaves telling the followers to its next append (which carries the commit index) instead of
 *     sending every follower an empty append at once; the owner calls {@link RawNode#broadcastCommit}
 *     when no append followed soon enough (never deferred while a conf change is pending, nor when
 *     the newly committed entries include one a follower forwarded: its client waits for it).
 *     Saves a message and its answer per follower per commit under a steady stream of proposals;
 *     followers learn of commits a little later
 * @param random the only source of randomness (election timeouts); owned by the node afterwards
 * @param testingFaults TEST-ONLY deliberate protocol violations (see {@link TestingFault}); empty
 *     in any real deployment
 */
public record RaftConfig(
        long id,
        int electionTick,
        int heartbeatTick,
        long maxSizePerMsg,
        int maxInflightMsgs,
        long maxUncommittedEntriesSize,
        boolean checkQuorum,
        boolean preVote,
        ReadOnlyOption readOnlyOption,
        boolean disableProposalForwarding,
        long applied,
        boolean deferCommitBroadcast,
        RandomGenerator random,
        Set<TestingFault> testingFaults) {

    /** How a leader confirms it still leads before answering a read-index request. */
    public enum ReadOnlyOption {
        /** A heartbeat round acknowledged by a quorum (linearizable regardless of clocks). */
        SAFE,
        /** The leader's lease under check-quorum (relies on bounded clock drift). */
        LEASE_BASED
    }

    /**
     * TEST-ONLY switches that make the node break one rule of the protocol on purpose, so that a
     * simulator can show that it catches the violation. Never enable one outside a test.
     */
    public enum TestingFault {
        /** Commit an entry of a previous term by counting replicas (violates §5.4.2). */
        COMMIT_PREVIOUS_TERM_BY_COUNTING,
        /** Accept an append from a leader of a lower term (violates §5.1). */
        ACCEPT_STALE_TERM_APPEND,
        /** Grant a second vote to another candidate in the same term (violates §5.2). */
        GRANT_VOTE_TWICE_IN_TERM,
        /** Leave the vote out of the HardState handed out for persisting (violates §5.2 durability). */
        SKIP_VOTE_PERSIST,
        /** Answer a read-index request with the commit index at once, unconfirmed by a quorum (violates §6.4). */
        CONFIRM_READ_INDEX_AT_ONCE
    }

    public RaftConfig {
        Objects.requireNonNull(readOnlyOption, "readOnlyOption");
        Objects.requireNonNull(random, "random");
        testingFaults = testingFaults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(testingFaults));
        if (id == 0) {
            throw new IllegalArgumentException("raft: cannot use none as id");
        }
        if (heartbeatTick <= 0) {
            throw new IllegalArgumentException("raft: heartbeat tick must be greater than 0");
        }
        if (electionTick <= heartbeatTick) {
            throw new IllegalArgumentException("raft: election tick must be greater than heartbeat tick");
        }
        if (maxSizePerMsg < 0 || maxUncommittedEntriesSize < 0 || applied < 0) {
            throw new IllegalArgumentException("raft: sizes and applied index must not be negative");
        }
        if (maxInflightMsgs <= 0) {
            throw new IllegalArgumentException("raft: max inflight messages must be greater than 0");
        }
        if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
            throw new IllegalArgumentException("raft: CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
        }
    }

    /**
     * Defaults: electionTick 10, heartbeatTick 1, 1 MiB per message, 256 inflight messages, no
     * uncommitted limit, check-quorum and pre-vote off, SAFE reads, forwarding on, applied 0,
     * commit broadcast at once.
     */
    public static RaftConfig of(long id, RandomGenerator random) {
        return new RaftConfig(id, 10, 1, 1 << 20, 256, 0, false, false, ReadOnlyOption.SAFE, false, 0, false, random, Set.of());
    }

    public RaftConfig withTicks(int election, int heartbeat) {
        return new RaftConfig(id, election, heartbeat, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withMaxSizePerMsg(long bytes) {
        return new RaftConfig(id, electionTick, heartbeatTick, bytes, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withMaxInflightMsgs(int n) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, n, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withMaxUncommittedEntriesSize(long bytes) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, bytes,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                on, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, on, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withReadOnlyOption(ReadOnlyOption option) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, option, disableProposalForwarding, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withDisableProposalForwarding(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, on, applied, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withApplied(long index) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, index, deferCommitBroadcast, random, testingFaults);
    }

    public RaftConfig withDeferredCommitBroadcast(boolean on) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, on, random, testingFaults);
    }

    /** TEST-ONLY: a copy that deliberately breaks the given rules. */
    public RaftConfig withTestingFaults(Set<TestingFault> faults) {
        return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs, maxUncommittedEntriesSize,
                checkQuorum, preVote, readOnlyOption, disableProposalForwarding, applied, deferCommitBroadcast, random, faults);
    }

    boolean hasFault(TestingFault fault) {
        return testingFaults.contains(fault);
    }
}
