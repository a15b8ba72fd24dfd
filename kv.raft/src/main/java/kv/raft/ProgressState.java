package kv.raft;

/** How a leader replicates to one follower. */
public enum ProgressState {
    /** Sends at most one append per heartbeat interval until it learns the follower's match index. */
    PROBE,
    /** Streams appends optimistically, bounded by the inflight window. */
    REPLICATE,
    /** Has sent a snapshot and waits for it to be applied or reported failed. */
    SNAPSHOT
}
