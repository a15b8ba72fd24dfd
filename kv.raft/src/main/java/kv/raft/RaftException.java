package kv.raft;

/**
 * An expected failure reported by raft or its {@link Storage}. Messages follow etcd's wording.
 * Broken invariants are not reported this way: they throw {@link IllegalStateException} and the
 * member must stop.
 */
public abstract sealed class RaftException extends RuntimeException
        permits ProposalDroppedException, CompactedException, UnavailableException,
                SnapshotOutOfDateException, SnapshotTemporarilyUnavailableException, StepException {
    RaftException(String message) {
        super(message);
    }
}
