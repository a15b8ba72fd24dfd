package kv.raft;

/**
 * Volatile state that need not be persisted: the leader this member knows of (0 for none) and its
 * own role. Immutable.
 */
public record SoftState(long lead, StateRole role) {
    public SoftState {
        java.util.Objects.requireNonNull(role, "role");
    }
}
