package kv.peer;

/**
 * One member's HashKV: the hash of its key space up to {@code revision}, and the revision it was
 * compacted at then. Two members agree when both revisions match and the hashes are equal.
 *
 * @param hash            CRC-32C-style hash as etcd computes it (unsigned 32-bit in an int)
 * @param revision        the revision hashed
 * @param compactRevision the store's compact revision at the time
 */
public record PeerHash(int hash, long revision, long compactRevision) {}
