package kv.mvcc.lease;

import java.util.List;

/**
 * What a lease looks like at one moment.
 *
 * @param id the lease id (unsigned 64-bit in etcd's API, positive in practice)
 * @param grantedTtl the TTL the lease was granted with, in seconds (after raising to the minimum)
 * @param ttl seconds left before it expires, rounded up; on a lessor that is not primary, the last
 *     checkpointed remaining TTL or the granted TTL
 * @param keys the keys attached, sorted; empty unless asked for
 */
public record LeaseInfo(long id, long grantedTtl, long ttl, List<byte[]> keys) {
    public LeaseInfo {
        keys = List.copyOf(keys);
    }
}
