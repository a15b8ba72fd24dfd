package kv.raft;

/** A snapshot older than the storage's current one was offered or requested. */
public final class SnapshotOutOfDateException extends RaftException {
    public SnapshotOutOfDateException() {
        super("requested index is older than the existing snapshot");
    }
}
