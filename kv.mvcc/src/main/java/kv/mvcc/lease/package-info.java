/**
 * Leases: TTL-bound ids that keys can be attached to, revoked (deleting their keys in one revision)
 * when they expire. Expiry is decided only by the primary lessor (on the raft leader) against an
 * injected clock; it reports expired leases and due checkpoints to the caller, which proposes
 * revokes and checkpoints through raft. State changes arrive as applied raft entries and are
 * persisted in bucket {@code "lease"} through {@link kv.mvcc.lease.LeaseWrites}.
 */
package kv.mvcc.lease;
