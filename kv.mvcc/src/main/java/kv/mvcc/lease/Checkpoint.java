package kv.mvcc.lease;

/** A remaining-TTL checkpoint the primary should propose through raft: lease {@code id} has {@code remainingTtl} seconds left. */
public record Checkpoint(long id, long remainingTtl) {}
