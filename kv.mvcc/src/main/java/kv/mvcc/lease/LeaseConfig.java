package kv.mvcc.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How the lessor behaves.
 *
 * @param minTtl shortest TTL a lease gets; shorter requests are raised to it (etcd: 1.5 election
 *     timeouts, rounded up to whole seconds)
 * @param checkpointInterval how often the primary checkpoints the remaining TTL of long leases so
 *     that a new leader does not restart them at their full TTL; {@link Duration#ZERO} disables
 * @param expiredRetryInterval how long after reporting an expired lease the primary reports it again
 *     if it still exists (the revoke proposal may have been lost)
 */
public record LeaseConfig(Duration minTtl, Duration checkpointInterval, Duration expiredRetryInterval) {
    /** Longest TTL a lease may ask for, in seconds (etcd's MaxLeaseTTL). */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;

    public LeaseConfig {
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(expiredRetryInterval, "expiredRetryInterval");
        if (minTtl.isNegative() || minTtl.isZero()) {
            throw new IllegalArgumentException("minTtl must be positive: " + minTtl);
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpointInterval must not be negative: " + checkpointInterval);
        }
        if (expiredRetryInterval.isNegative() || expiredRetryInterval.isZero()) {
            throw new IllegalArgumentException("expiredRetryInterval must be positive: " + expiredRetryInterval);
        }
    }

    /** etcd's defaults with a 100 ms heartbeat and 1 s election timeout: min TTL 2 s, checkpoints every 5 min, retry 3 s. */
    public static LeaseConfig defaults() {
        return new LeaseConfig(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(3));
    }

    /** Minimum TTL in whole seconds, rounded up. */
    long minTtlSeconds() {
        long s = minTtl.getSeconds();
        return minTtl.getNano() > 0 ? s + 1 : s;
    }
}
