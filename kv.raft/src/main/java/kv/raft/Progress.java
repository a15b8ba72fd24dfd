package kv.raft;

/**
 * A leader's view of one peer, as copied into a {@link Status}. Immutable snapshot.
 *
 * @param match highest index known replicated on the peer
 * @param next next index the leader will send
 * @param state replication state
 * @param inflight append messages sent and not yet acknowledged
 * @param pendingSnapshot index of the snapshot in flight (SNAPSHOT state), else 0
 * @param recentActive whether the peer was heard from during the current check-quorum window
 * @param probeSent whether a probe is outstanding (PROBE state)
 * @param learner whether the peer is a learner (non-voting)
 */
public record Progress(long match, long next, ProgressState state, int inflight, long pendingSnapshot,
                       boolean recentActive, boolean probeSent, boolean learner) {
}
