package kv.raft;

/** The requested entry is beyond the storage's last index. */
public final class UnavailableException extends RaftException {
    public UnavailableException() {
        super("requested entry at index is unavailable");
    }
}
