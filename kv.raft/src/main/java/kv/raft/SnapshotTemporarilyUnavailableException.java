package kv.raft;

/** The storage is preparing a snapshot; raft retries sending one to the follower later. */
public final class SnapshotTemporarilyUnavailableException extends RaftException {
    public SnapshotTemporarilyUnavailableException() {
        super("snapshot is temporarily unavailable");
    }
}
