package kv.mvcc.lease;

/**
 * The result of a keep-alive on the primary.
 *
 * @param ttl the lease's TTL, the seconds it now has before it expires
 * @param clearCheckpoint whether the lease carried a checkpointed remaining TTL, which the caller must
 *     now clear by proposing {@code Checkpoint(id, 0)} through raft so that a new leader restarts it
 *     at its full TTL
 */
public record Renewal(long ttl, boolean clearCheckpoint) {}
