package kv.raft;

/**
 * A leader's mutable view of one peer: match/next indexes and the replication state machine
 * (probe, replicate, snapshot). Not thread-safe; owned by {@link ProgressTracker}.
 */
final class PeerProgress {
    long match;
    long next;
    ProgressState state = ProgressState.PROBE;
    long pendingSnapshot;
    boolean recentActive;
    boolean probeSent;
    boolean isLearner;
    final Inflights inflights;

    PeerProgress(long match, long next, int maxInflight, boolean isLearner) {
        this.match = match;
        this.next = next;
        this.inflights = new Inflights(maxInflight);
        this.isLearner = isLearner;
    }

    private void resetState(ProgressState s) {
        probeSent = false;
        pendingSnapshot = 0;
        state = s;
        inflights.reset();
    }

    void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long pending = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, pending + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** Records an acknowledgement up to n; false if it was stale. */
    boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    void optimisticUpdate(long n) {
        next = n + 1;
    }

    /**
     * Handles a rejection of the append at index {@code rejected}; {@code matchHint} is the
     * follower's hint of where the logs may agree. False if the rejection is stale.
     */
    boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), 1);
        probeSent = false;
        return true;
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    Progress view() {
        return new Progress(match, next, state, inflights.count(), pendingSnapshot, recentActive, probeSent, isLearner);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(state.name()).append(" match=").append(match).append(" next=").append(next);
        if (isLearner) {
            b.append(" learner");
        }
        if (probeSent) {
            b.append(" paused");
        }
        if (pendingSnapshot > 0) {
            b.append(" pendingSnap=").append(pendingSnapshot);
        }
        if (!recentActive) {
            b.append(" inactive");
        }
        if (inflights.count() > 0) {
            b.append(" inflight=").append(inflights.count());
            if (inflights.full()) {
                b.append("[full]");
            }
        }
        return b.toString();
    }
}
