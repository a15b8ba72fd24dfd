package kv.raft;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The current {@link Membership}, a {@link PeerProgress} per member, and the votes of the
 * election in progress. Not thread-safe; owned by {@link Raft}.
 */
final class ProgressTracker {
    Membership config = Membership.empty();
    TreeMap<Long, PeerProgress> progress = new TreeMap<>();
    final Map<Long, Boolean> votes = new TreeMap<>();
    final int maxInflight;

    ProgressTracker(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    /** The largest index replicated on a quorum (of each half when joint). */
    long committed() {
        return config.committedIndex(id -> {
            PeerProgress pr = progress.get(id);
            return pr == null ? -1 : pr.match;
        });
    }

    void visit(BiConsumer<Long, PeerProgress> f) {
        // Over a copy, so that a callback may change the progress map.
        for (Map.Entry<Long, PeerProgress> e : new java.util.ArrayList<>(progress.entrySet())) {
            f.accept(e.getKey(), e.getValue());
        }
    }

    /** Whether a quorum was heard from during the last election timeout (check-quorum). */
    boolean quorumActive(long self) {
        Map<Long, Boolean> active = new TreeMap<>();
        progress.forEach((id, pr) -> {
            if (!pr.isLearner) {
                active.put(id, id == self || pr.recentActive);
            }
        });
        return config.voteResult(active) == Membership.VoteResult.WON;
    }

    boolean isSingleton() {
        return config.incoming().size() == 1 && config.outgoing().isEmpty();
    }

    void resetVotes() {
        votes.clear();
    }

    void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    int granted() {
        return (int) votes.entrySet().stream().filter(e -> e.getValue() && config.voters().contains(e.getKey())).count();
    }

    int rejected() {
        return (int) votes.entrySet().stream().filter(e -> !e.getValue() && config.voters().contains(e.getKey())).count();
    }

    Membership.VoteResult tally() {
        return config.voteResult(votes);
    }
}
