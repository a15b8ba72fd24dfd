package kv.mvcc;

import java.time.Duration;
import java.util.Objects;
import kv.backend.Durability;
import kv.mvcc.lease.LeaseConfig;

/**
 * How the store behaves.
 *
 * @param maxTxnOps most operations in one txn request and its branches (etcd's --max-txn-ops, 128)
 * @param compactionBatchLimit most keys deleted in one backend commit by a compaction (etcd's
 *     compaction batch limit, 1000), so writes wait at most one batch
 * @param commitBatchLimit most writes (applied entries) gathered in one backend write transaction
 *     before it is committed (etcd batches up to 10000); 1, the default, commits every write. Above
 *     1 the backend transaction stays open between calls, and since some engines (LMDB) bind a write
 *     transaction to its thread, every call that writes or commits ({@code put}, {@code deleteRange},
 *     {@code txn}, {@code compact}, {@link MvccStore#applied}, lease changes, {@link Compaction#step},
 *     {@link MvccStore#commit}, {@code hash}, {@code hashKv}, {@link MvccStore#close}) must then come
 *     from one thread, the applier's; reads and watch sync may come from any thread either way
 * @param commitInterval longest a write waits in an open backend transaction, checked when the next
 *     write ends (etcd's batch interval, 100 ms); with batching, the applier also calls
 *     {@link MvccStore#commit()} on that interval so that an idle store commits too
 * @param commitDurability durability of each backend commit; {@link Durability#NO_SYNC} when
 *     raft's WAL already made the entries durable (they are replayed from the applied index)
 * @param watchBufferSize responses a watch stream buffers before its watchers are parked as
 *     unsynced (etcd's chanBufLen, 128)
 * @param watchSyncRevisions most revisions a watch sync step reads from the backend for unsynced
 *     watchers (etcd's watchBatchMaxRevs, 1000); a revision is never split
 * @param maxWatchersPerSync most unsynced watchers one sync step serves (etcd: 512)
 * @param lease the lessor's configuration
 */
public record MvccConfig(int maxTxnOps, int compactionBatchLimit, int commitBatchLimit, Duration commitInterval,
        Durability commitDurability, int watchBufferSize, int watchSyncRevisions, int maxWatchersPerSync,
        LeaseConfig lease) {
    public MvccConfig {
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(commitDurability, "commitDurability");
        Objects.requireNonNull(lease, "lease");
        positive("maxTxnOps", maxTxnOps);
        positive("compactionBatchLimit", compactionBatchLimit);
        positive("commitBatchLimit", commitBatchLimit);
        positive("watchBufferSize", watchBufferSize);
        positive("watchSyncRevisions", watchSyncRevisions);
        positive("maxWatchersPerSync", maxWatchersPerSync);
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative: " + commitInterval);
        }
    }

    /** etcd's defaults, with NO_SYNC commits (the WAL is the durable log) and a commit per write. */
    public static MvccConfig defaults() {
        return new MvccConfig(128, 1000, 1, Duration.ofMillis(100), Durability.NO_SYNC, 128, 1000, 512,
                LeaseConfig.defaults());
    }

    public MvccConfig withMaxTxnOps(int n) {
        return new MvccConfig(n, compactionBatchLimit, commitBatchLimit, commitInterval, commitDurability,
                watchBufferSize, watchSyncRevisions, maxWatchersPerSync, lease);
    }

    public MvccConfig withCompactionBatchLimit(int n) {
        return new MvccConfig(maxTxnOps, n, commitBatchLimit, commitInterval, commitDurability, watchBufferSize,
                watchSyncRevisions, maxWatchersPerSync, lease);
    }

    public MvccConfig withCommitBatch(int limit, Duration interval) {
        return new MvccConfig(maxTxnOps, compactionBatchLimit, limit, interval, commitDurability, watchBufferSize,
                watchSyncRevisions, maxWatchersPerSync, lease);
    }

    public MvccConfig withWatchBufferSize(int n) {
        return new MvccConfig(maxTxnOps, compactionBatchLimit, commitBatchLimit, commitInterval, commitDurability, n,
                watchSyncRevisions, maxWatchersPerSync, lease);
    }

    public MvccConfig withWatchSyncRevisions(int n) {
        return new MvccConfig(maxTxnOps, compactionBatchLimit, commitBatchLimit, commitInterval, commitDurability,
                watchBufferSize, n, maxWatchersPerSync, lease);
    }

    public MvccConfig withLease(LeaseConfig l) {
        return new MvccConfig(maxTxnOps, compactionBatchLimit, commitBatchLimit, commitInterval, commitDurability,
                watchBufferSize, watchSyncRevisions, maxWatchersPerSync, l);
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
    }
}
