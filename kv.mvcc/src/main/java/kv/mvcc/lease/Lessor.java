package kv.mvcc.lease;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import kv.backend.ReadTx;
import kv.mvcc.MvccError;

/**
 * The lease table of one member.
 *
 * <p>Every member applies the same changes ({@link #grant}, {@link #revoke}, {@link #checkpoint}),
 * which arrive as applied raft entries and are persisted through {@link LeaseWrites}. Only the
 * primary (the lessor on the raft leader, see {@link #promote}) tracks expiry: {@link #expired} and
 * {@link #dueCheckpoints} tell the caller what to propose; the lessor never revokes on its own.
 * A lessor that is not primary holds every lease forever.
 *
 * <p>Thread-safe. It never calls {@link LeaseWrites} while holding its own lock, so the store may
 * call {@link #attach}/{@link #detach} from inside a write.
 */
public final class Lessor {
    private static final System.Logger LOG = System.getLogger(Lessor.class.getName());
    /** The bucket leases are persisted in. */
    public static final String BUCKET = "lease";
    /** The id meaning "no lease". */
    public static final long NO_LEASE = 0;

    private final LeaseConfig config;
    private final InstantSource clock;
    private final LeaseWrites writes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Lease> leases = new HashMap<>();
    private final Map<String, Long> keyToLease = new HashMap<>();
    private final PriorityQueue<Due> expiries = new PriorityQueue<>(Comparator.comparing(Due::at));
    private final PriorityQueue<Due> checkpoints = new PriorityQueue<>(Comparator.comparing(Due::at));
    private boolean primary;
    private Duration promotedExtend = Duration.ZERO;

    /** A lessor with no leases; call {@link #restore(ReadTx, Map)} to load persisted ones. */
    public Lessor(LeaseConfig config, InstantSource clock, LeaseWrites writes) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    private static final class Lease {
        final long id;
        final long ttl;
        long remainingTtl;
        Instant expiry = Instant.MAX;
        Instant reportAfter = Instant.MIN;
        final Set<String> keys = new HashSet<>();

        Lease(long id, long ttl, long remainingTtl) {
            this.id = id;
            this.ttl = ttl;
            this.remainingTtl = remainingTtl;
        }

        long effectiveTtl() {
            return remainingTtl > 0 ? remainingTtl : ttl;
        }
    }

    private record Due(long id, Instant at) {}

    /**
     * Replaces the whole table with the leases persisted in bucket {@code "lease"} and the keys
     * attached to them, in one step under the lessor's lock, so a reader sees the old table or the
     * new one, never a mix. The old leases (and their pending expiries and checkpoints) are dropped.
     * The lessor keeps its role: a secondary's leases never expire; a primary's get fresh expiries,
     * as {@link #promote} gives them (with the extension of the last promotion). Keys attached to a
     * lease the bucket lacks are logged and left unattached, as etcd does.
     *
     * @param keysByLease the keys each lease holds, as the store's key space says
     */
    public void restore(ReadTx tx, Map<Long, List<byte[]>> keysByLease) {
        Map<Long, Lease> loaded = new HashMap<>();
        if (tx.hasBucket(BUCKET)) {
            tx.scan(BUCKET, null, null, (k, v) -> {
                Lease l = decode(v);
                loaded.put(l.id, l);
                return true;
            });
        }
        lock.lock();
        try {
            leases.clear();
            keyToLease.clear();
            expiries.clear();
            checkpoints.clear();
            leases.putAll(loaded);
            keysByLease.forEach(this::attachRestored);
            if (primary) {
                armAll(promotedExtend);
            }
        } finally {
            lock.unlock();
        }
    }

    private void attachRestored(long id, List<byte[]> keys) {
        Lease l = leases.get(id);
        if (l == null) {
            LOG.log(Level.WARNING, "{0} keys refer to lease {1} which does not exist", keys.size(), Long.toHexString(id));
            return;
        }
        for (byte[] key : keys) {
            String k = keyOf(key);
            l.keys.add(k);
            keyToLease.put(k, id);
        }
    }

    /**
     * Applies a grant: lease {@code id} with {@code ttlSeconds} (raised to the minimum TTL).
     *
     * @throws kv.mvcc.MvccException LEASE_NOT_FOUND for id 0, LEASE_TTL_TOO_LARGE, LEASE_EXISTS
     */
    public LeaseInfo grant(long index, long id, long ttlSeconds) {
        if (id == NO_LEASE) {
            throw MvccError.LEASE_NOT_FOUND.exception();
        }
        if (ttlSeconds > LeaseConfig.MAX_TTL_SECONDS) {
            throw MvccError.LEASE_TTL_TOO_LARGE.exception();
        }
        Lease l = new Lease(id, Math.max(ttlSeconds, config.minTtlSeconds()), 0);
        lock.lock();
        try {
            if (leases.containsKey(id)) {
                throw MvccError.LEASE_EXISTS.exception();
            }
        } finally {
            lock.unlock();
        }
        writes.apply(index, List.of(), tx -> tx.put(BUCKET, idBytes(id), encode(l)));
        lock.lock();
        try {
            leases.put(id, l);
            if (primary) {
                refresh(l, Duration.ZERO);
                scheduleCheckpoint(l);
            }
            return new LeaseInfo(id, l.ttl, l.ttl, List.of());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a revoke: deletes every attached key in one revision and the lease, atomically.
     *
     * @throws kv.mvcc.MvccException LEASE_NOT_FOUND
     */
    public void revoke(long index, long id) {
        List<byte[]> keys;
        lock.lock();
        try {
            keys = sortedKeys(require(id));
        } finally {
            lock.unlock();
        }
        writes.apply(index, keys, tx -> tx.delete(BUCKET, idBytes(id)));
        lock.lock();
        try {
            Lease l = leases.remove(id);
            if (l != null) {
                l.keys.forEach(keyToLease::remove);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Applies a checkpoint: lease {@code id} has {@code remainingTtl} seconds left (0 clears). Unknown ids are ignored, as etcd does. */
    public void checkpoint(long index, long id, long remainingTtl) {
        Lease l;
        lock.lock();
        try {
            l = leases.get(id);
            if (l == null) {
                return;
            }
            l.remainingTtl = remainingTtl;
            if (primary) {
                scheduleCheckpoint(l);
            }
        } finally {
            lock.unlock();
        }
        Lease copy = new Lease(id, l.ttl, remainingTtl);
        writes.apply(index, List.of(), tx -> {
            if (tx.get(BUCKET, idBytes(id)) != null) {
                tx.put(BUCKET, idBytes(id), encode(copy));
            }
        });
    }

    /**
     * Keep-alive on the primary: the lease expires its TTL from now.
     *
     * @throws kv.mvcc.MvccException NOT_PRIMARY on a lessor that is not primary; LEASE_NOT_FOUND when
     *     the lease does not exist or has already expired
     */
    public Renewal renew(long id) {
        lock.lock();
        try {
            if (!primary) {
                throw MvccError.NOT_PRIMARY.exception();
            }
            Lease l = require(id);
            Instant now = clock.instant();
            if (!now.isBefore(l.expiry)) {
                throw MvccError.LEASE_NOT_FOUND.exception();
            }
            boolean clear = l.remainingTtl > 0;
            // the caller clears the checkpoint through raft; the expiry is already the full TTL's
            l.expiry = now.plusSeconds(l.ttl);
            expiries.add(new Due(id, l.expiry));
            return new Renewal(l.ttl, clear);
        } finally {
            lock.unlock();
        }
    }

    /** Whether lease {@code id} exists. */
    public boolean exists(long id) {
        lock.lock();
        try {
            return leases.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lease's TTLs and, when {@code withKeys}, its attached keys.
     *
     * @throws kv.mvcc.MvccException LEASE_NOT_FOUND (etcd's server answers TTL -1 instead)
     */
    public LeaseInfo timeToLive(long id, boolean withKeys) {
        lock.lock();
        try {
            Lease l = require(id);
            return new LeaseInfo(id, l.ttl, remaining(l), withKeys ? sortedKeys(l) : List.of());
        } finally {
            lock.unlock();
        }
    }

    /** Every lease, by id (unsigned order). */
    public List<LeaseInfo> leases() {
        lock.lock();
        try {
            List<LeaseInfo> out = new ArrayList<>();
            for (Lease l : leases.values()) {
                out.add(new LeaseInfo(l.id, l.ttl, remaining(l), List.of()));
            }
            out.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Attaches {@code key} to lease {@code id} (called by the store while applying a put). */
    public void attach(long id, byte[] key) {
        lock.lock();
        try {
            Lease l = require(id);
            String k = keyOf(key);
            l.keys.add(k);
            keyToLease.put(k, id);
        } finally {
            lock.unlock();
        }
    }

    /** Detaches {@code key} from lease {@code id} if attached (called by the store). */
    public void detach(long id, byte[] key) {
        lock.lock();
        try {
            Lease l = leases.get(id);
            String k = keyOf(key);
            if (l != null) {
                l.keys.remove(k);
            }
            keyToLease.remove(k, id);
        } finally {
            lock.unlock();
        }
    }

    /** The lease {@code key} is attached to, or {@link #NO_LEASE}. */
    public long leaseOf(byte[] key) {
        lock.lock();
        try {
            return keyToLease.getOrDefault(keyOf(key), NO_LEASE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Becomes primary: every lease expires {@code extend} plus its remaining (checkpointed) or full
     * TTL from now, as etcd does on promotion, so a leader change never shortens a lease. Like etcd,
     * when many leases would expire in the same second, later ones are pushed back so that at most
     * 3/4 of {@link #REVOKE_RATE} expire per second.
     */
    public void promote(Duration extend) {
        lock.lock();
        try {
            primary = true;
            promotedExtend = Objects.requireNonNull(extend, "extend");
            armAll(extend);
        } finally {
            lock.unlock();
        }
    }

    /** Gives every lease a fresh expiry and checkpoint, as on promotion. Under the lock. */
    private void armAll(Duration extend) {
        expiries.clear();
        checkpoints.clear();
        for (Lease l : leases.values()) {
            refresh(l, extend);
            scheduleCheckpoint(l);
        }
        spreadExpiries(extend);
    }

    /** Expired leases a leader revokes per second at most (etcd's leaseRevokeRate). */
    public static final int REVOKE_RATE = 1000;

    private void spreadExpiries(Duration extend) {
        if (leases.size() < REVOKE_RATE) {
            return; // no pile-up possible
        }
        List<Lease> byExpiry = new ArrayList<>(leases.values());
        byExpiry.sort(Comparator.comparing((Lease l) -> l.expiry));
        Instant now = clock.instant();
        long perSecond = 3L * REVOKE_RATE / 4;
        Duration base = Duration.between(now, byExpiry.getFirst().expiry);
        Duration nextWindow = base.plusSeconds(1);
        long expires = 0;
        for (Lease l : byExpiry) {
            Duration remaining = Duration.between(now, l.expiry);
            if (remaining.compareTo(nextWindow) > 0) {
                base = remaining;
                nextWindow = base.plusSeconds(1);
                expires = 1;
                continue;
            }
            if (++expires <= perSecond) {
                continue;
            }
            // leases already ahead of the window's base need less delay
            Duration delay = Duration.ofNanos(1_000_000_000L * expires / perSecond).minus(remaining.minus(base));
            nextWindow = base.plus(delay);
            l.expiry = now.plus(extend).plus(delay).plusSeconds(l.effectiveTtl());
            expiries.add(new Due(l.id, l.expiry));
        }
    }

    /** Stops being primary: leases no longer expire here. */
    public void demote() {
        lock.lock();
        try {
            primary = false;
            expiries.clear();
            checkpoints.clear();
            for (Lease l : leases.values()) {
                l.expiry = Instant.MAX;
                l.reportAfter = Instant.MIN;
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isPrimary() {
        lock.lock();
        try {
            return primary;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the primary, up to {@code limit} leases that have expired, for the caller to revoke through
     * raft. A lease reported is reported again after the retry interval if it still exists. Empty
     * when not primary.
     */
    public List<Long> expired(int limit) {
        lock.lock();
        try {
            List<Long> out = new ArrayList<>();
            if (!primary) {
                return out;
            }
            Instant now = clock.instant();
            while (out.size() < limit && !expiries.isEmpty() && !expiries.peek().at().isAfter(now)) {
                Lease l = leases.get(expiries.poll().id());
                if (l == null || now.isBefore(l.expiry) || now.isBefore(l.reportAfter)) {
                    continue; // revoked, renewed, or already reported and not yet due again
                }
                out.add(l.id);
                l.reportAfter = now.plus(config.expiredRetryInterval());
                expiries.add(new Due(l.id, l.reportAfter));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** On the primary, up to {@code limit} checkpoints due now, for the caller to propose. */
    public List<Checkpoint> dueCheckpoints(int limit) {
        lock.lock();
        try {
            List<Checkpoint> out = new ArrayList<>();
            if (!primary) {
                return out;
            }
            Instant now = clock.instant();
            while (out.size() < limit && !checkpoints.isEmpty() && !checkpoints.peek().at().isAfter(now)) {
                Lease l = leases.get(checkpoints.poll().id());
                if (l == null || !now.isBefore(l.expiry)) {
                    continue;
                }
                long remaining = ceilSeconds(Duration.between(now, l.expiry));
                if (remaining >= l.ttl) {
                    continue;
                }
                out.add(new Checkpoint(l.id, remaining));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private void refresh(Lease l, Duration extend) {
        l.expiry = clock.instant().plus(extend).plusSeconds(l.effectiveTtl());
        l.reportAfter = Instant.MIN;
        expiries.add(new Due(l.id, l.expiry));
    }

    private void scheduleCheckpoint(Lease l) {
        Duration every = config.checkpointInterval();
        if (!every.isZero() && l.effectiveTtl() > every.getSeconds()) {
            checkpoints.add(new Due(l.id, clock.instant().plus(every)));
        }
    }

    private long remaining(Lease l) {
        if (!primary || l.expiry.equals(Instant.MAX)) {
            return l.effectiveTtl();
        }
        Duration left = Duration.between(clock.instant(), l.expiry);
        return left.isNegative() ? 0 : ceilSeconds(left);
    }

    private Lease require(long id) {
        Lease l = leases.get(id);
        if (l == null) {
            throw MvccError.LEASE_NOT_FOUND.exception();
        }
        return l;
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    private static List<byte[]> sortedKeys(Lease l) {
        List<byte[]> out = new ArrayList<>();
        for (String k : new TreeSet<>(l.keys)) {
            out.add(k.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    // ISO-8859-1 maps bytes to chars one to one, so the string is an exact, ordered image of the key
    private static String keyOf(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    static byte[] idBytes(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    /** leasepb.Lease: ID = 1, TTL = 2, RemainingTTL = 3, as etcd persists it. */
    private static byte[] encode(Lease l) {
        try {
            int n = CodedOutputStream.computeInt64Size(1, l.id) + CodedOutputStream.computeInt64Size(2, l.ttl)
                    + (l.remainingTtl != 0 ? CodedOutputStream.computeInt64Size(3, l.remainingTtl) : 0);
            byte[] out = new byte[n];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeInt64(1, l.id);
            o.writeInt64(2, l.ttl);
            if (l.remainingTtl != 0) {
                o.writeInt64(3, l.remainingTtl);
            }
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Lease decode(byte[] b) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(b);
            long id = 0, ttl = 0, remaining = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readInt64();
                    case 2 -> ttl = in.readInt64();
                    case 3 -> remaining = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new Lease(id, ttl, remaining);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt lease record in bucket \"lease\": " + e.getMessage(), e);
        }
    }
}
