package kv.raft;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import kv.raft.raftpb.ConfState;

/**
 * A configuration: the incoming voters, the outgoing voters (non-empty only in a joint
 * configuration), learners, learners that become learners when the joint state is left, and
 * whether the joint state is left automatically. Immutable.
 */
record Membership(SortedSet<Long> incoming, SortedSet<Long> outgoing, SortedSet<Long> learners,
                  SortedSet<Long> learnersNext, boolean autoLeave) {

    enum VoteResult { PENDING, LOST, WON }

    Membership {
        incoming = Collections.unmodifiableSortedSet(new TreeSet<>(incoming));
        outgoing = Collections.unmodifiableSortedSet(new TreeSet<>(outgoing));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        learnersNext = Collections.unmodifiableSortedSet(new TreeSet<>(learnersNext));
    }

    static Membership empty() {
        return new Membership(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), false);
    }

    static Membership of(ConfState cs) {
        return new Membership(new TreeSet<>(cs.getVotersList()), new TreeSet<>(cs.getVotersOutgoingList()),
                new TreeSet<>(cs.getLearnersList()), new TreeSet<>(cs.getLearnersNextList()), cs.getAutoLeave());
    }

    boolean joint() {
        return !outgoing.isEmpty();
    }

    /** Every voter of either half, sorted. */
    SortedSet<Long> voters() {
        TreeSet<Long> all = new TreeSet<>(incoming);
        all.addAll(outgoing);
        return all;
    }

    boolean contains(long id) {
        return incoming.contains(id) || outgoing.contains(id) || learners.contains(id) || learnersNext.contains(id);
    }

    ConfState confState() {
        return ConfState.newBuilder().addAllVoters(incoming).addAllVotersOutgoing(outgoing)
                .addAllLearners(learners).addAllLearnersNext(learnersNext).setAutoLeave(autoLeave).build();
    }

    /**
     * The highest index acknowledged by a quorum of each half. {@code acked} returns -1 for a voter
     * with no progress.
     */
    long committedIndex(ToLongFunction<Long> acked) {
        return Math.min(majorityCommitted(incoming, acked), majorityCommitted(outgoing, acked));
    }

    private static long majorityCommitted(SortedSet<Long> voters, ToLongFunction<Long> acked) {
        if (voters.isEmpty()) {
            // An empty half agrees to anything, so that the joint minimum is the other half's.
            return Long.MAX_VALUE;
        }
        long[] idx = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            idx[i++] = Math.max(0, acked.applyAsLong(id));
        }
        java.util.Arrays.sort(idx);
        return idx[idx.length - (idx.length / 2 + 1)];
    }

    /** The election outcome given the votes so far; each half must agree in a joint config. */
    VoteResult voteResult(Map<Long, Boolean> votes) {
        VoteResult r1 = majorityVote(incoming, votes);
        VoteResult r2 = majorityVote(outgoing, votes);
        if (r1 == r2) {
            return r1;
        }
        if (r1 == VoteResult.LOST || r2 == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    private static VoteResult majorityVote(SortedSet<Long> voters, Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int yes = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean v = votes.get(id);
            if (v == null) {
                missing++;
            } else if (v) {
                yes++;
            }
        }
        int q = voters.size() / 2 + 1;
        if (yes >= q) {
            return VoteResult.WON;
        }
        return yes + missing >= q ? VoteResult.PENDING : VoteResult.LOST;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("voters=").append(set(incoming));
        if (joint()) {
            b.append("&&").append(set(outgoing));
        }
        if (!learners.isEmpty()) {
            b.append(" learners=").append(set(learners));
        }
        if (!learnersNext.isEmpty()) {
            b.append(" learners_next=").append(set(learnersNext));
        }
        if (autoLeave) {
            b.append(" autoleave");
        }
        return b.toString();
    }

    private static String set(SortedSet<Long> s) {
        return "(" + String.join(" ", s.stream().map(Long::toHexString).toList()) + ")";
    }

    static List<Long> sorted(java.util.Collection<Long> ids) {
        return List.copyOf(new TreeSet<>(ids));
    }
}
