package kv.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * What the peer transport and server need to know about the local member. Validates itself; an
 * immutable value.
 *
 * <p>Member and cluster ids are unsigned 64-bit values. Zero means "not known yet" and is accepted
 * only for {@link PeerClient#fetchMembers}, which a joining member calls before it knows them;
 * {@link PeerTransport} and {@link PeerServer} refuse it.
 *
 * @param memberId    the local member's id
 * @param clusterId   the cluster's id; calls carrying another one are refused
 * @param tls         peer TLS material ({@link PeerTls#NONE} for plain text)
 * @param dialTimeout how long establishing a connection to another member may take
 * @param queueSize   how many outgoing messages may wait per peer before new ones are dropped
 */
public record PeerConfig(long memberId, long clusterId, PeerTls tls, Duration dialTimeout, int queueSize) {
    /** Default outgoing queue per peer (etcd's rafthttp uses 4096 as well). */
    public static final int DEFAULT_QUEUE_SIZE = 4096;
    /** etcd's default {@code --dial-timeout} for peers. */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(1);

    public PeerConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(dialTimeout, "dialTimeout");
        if (dialTimeout.isNegative() || dialTimeout.isZero()) {
            throw new IllegalArgumentException("peer dial timeout must be positive, got " + dialTimeout);
        }
        if (queueSize < 1 || queueSize > 1 << 20) {
            throw new IllegalArgumentException("peer queue size must be within [1, 1048576], got " + queueSize);
        }
    }

    /** A config with the default queue size. */
    public PeerConfig(long memberId, long clusterId, PeerTls tls, Duration dialTimeout) {
        this(memberId, clusterId, tls, dialTimeout, DEFAULT_QUEUE_SIZE);
    }

    /** TLS settings only, for {@link PeerClient#fetchMembers} before the member and cluster ids are known. */
    public static PeerConfig tlsOnly(PeerTls tls, Duration dialTimeout) {
        return new PeerConfig(0, 0, tls, dialTimeout);
    }

    /** A copy with another outgoing queue size. */
    public PeerConfig withQueueSize(int size) {
        return new PeerConfig(memberId, clusterId, tls, dialTimeout, size);
    }

    /** Fails unless both ids are known, as a transport or server needs them. */
    void requireIds() {
        if (memberId == 0 || clusterId == 0) {
            throw new IllegalArgumentException("peer: member id and cluster id must be non-zero (member "
                    + Long.toHexString(memberId) + ", cluster " + Long.toHexString(clusterId) + ")");
        }
    }
}
