package kv.mvcc;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.System.Logger.Level;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.CompactionResponse;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.HashKVResponse;
import kv.api.etcdserverpb.HashResponse;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import kv.backend.Backend;
import kv.backend.BackendSnapshot;
import kv.backend.Bytes;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.mvcc.lease.Lessor;

/**
 * The multi-version key-value store raft entries are applied to, with etcd 3.5's semantics.
 *
 * <p>Every change gets a revision; a key index in memory maps each key to its revisions, and bucket
 * {@code "key"} of the backend maps each revision to the {@link KeyValue} written then. Bucket
 * {@code "meta"} holds the applied raft index and the compaction marks, written in the same backend
 * transaction as the data they describe, so that after a crash the store is exactly as of
 * {@link #appliedIndex()} and the server replays from there. Leases ({@link #lessor()}) live in
 * bucket {@code "lease"}; watchers are served by {@link #newWatchStream()} and {@link #syncWatchers()}.
 *
 * <p>Writes ({@link #put}, {@link #deleteRange}, {@link #txn}, {@link #compact}, lease changes) are
 * applied one at a time, in raft order, each with the raft index it came from. Reads may run on any
 * thread concurrently with writes and see the latest applied revision or an older one. By default
 * each write is its own backend commit; with {@link MvccConfig#commitBatchLimit()} above 1 writes
 * share a backend transaction (readers see them at once all the same) and the thread rules of that
 * setting apply.
 *
 * <p>A follower too far behind takes over a leader's whole backend with {@link #restoreFrom}: the
 * same store and backend objects, watch streams open; readers wait while it runs.
 *
 * <p>Ownership: the store does not own the {@link Backend}; the caller closes the backend after
 * {@link #close()}. A failed backend commit breaks the store's invariants: it then refuses every
 * call with {@link IllegalStateException} and the member must restart (and replay from its WAL).
 */
public final class MvccStore implements AutoCloseable {
    static final String KEY = "key";
    static final String META = "meta";
    static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TERM = "term".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SCHEDULED_COMPACT = "scheduledCompactRev".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FINISHED_COMPACT = "finishedCompactRev".getBytes(StandardCharsets.US_ASCII);
    /** {@link #compactRevision()} of a store never compacted. */
    static final long NEVER_COMPACTED = -1;
    private static final System.Logger LOG = System.getLogger(MvccStore.class.getName());

    final Backend backend;
    final MvccConfig config;
    final TreeIndex index = new TreeIndex();
    final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Held shared by every read of the key index and the backend outside the write lock, and
     * exclusively by {@link #restoreFrom} while it replaces the content: readers wait out a
     * restore rather than see half of it. Lock order: writeLock, then the watcher hub's lock, then
     * this one.
     */
    final ReentrantReadWriteLock contentLock = new ReentrantReadWriteLock();
    /** How many times the content was replaced ({@link #restoreFrom}); guarded by writeLock. */
    long contentEpoch;
    final Lessor lessor;
    final WatcherHub watchers;
    private final KvRequests requests;
    volatile long currentRev;
    volatile long compactMainRev;
    volatile long appliedIndex;
    /**
     * What the open batch wrote to bucket {@code "key"}, for readers outside it: a reader takes this
     * map before opening its snapshot, so every revision up to the current one is in the map or in
     * the snapshot (a batch's map is replaced only after its commit).
     */
    volatile ConcurrentSkipListMap<byte[], byte[]> pending = new ConcurrentSkipListMap<>(Bytes.ORDER);
    private WriteTx batch; // guarded by writeLock
    private int batchWrites;
    private long batchStart;
    private volatile Throwable failure;
    private volatile boolean closed;

    private MvccStore(Backend backend, MvccConfig config, InstantSource clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        this.lessor = new Lessor(config.lease(), clock, this::applyLeaseChange);
        this.watchers = new WatcherHub(this);
        this.requests = new KvRequests(this);
    }

    /**
     * Opens the store over {@code backend}: creates its buckets when absent, rebuilds the key index
     * and the leases from the backend, and finishes a compaction a crash interrupted.
     */
    public static MvccStore open(Backend backend, MvccConfig config, InstantSource clock) {
        MvccStore s = new MvccStore(backend, config, clock);
        StoreLoader.load(s);
        return s;
    }

    /**
     * The revision of the latest applied change; an empty store is at revision 1, as etcd's, so the
     * first change is revision 2.
     */
    public long currentRevision() {
        return currentRev;
    }

    /**
     * The revision the store was last compacted at, -1 if never (etcd's value: HashKV reports it, and
     * revision 0 may then still be compacted): reads below it fail.
     */
    public long compactRevision() {
        return compactMainRev;
    }

    /** The raft index of the last entry applied (and persisted with its effects); the server skips entries at or below it. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The lease table, kept in step with the key space (revoking a lease deletes its keys). */
    public Lessor lessor() {
        return lessor;
    }

    // ---- the request-level API (etcd's apply layer) ----

    /** Serves a Range at the current or an older revision; thread-safe, concurrent with writes. */
    public RangeResponse range(RangeRequest r) {
        return requests.range(r);
    }

    /** Applies a Put from raft entry {@code index}. */
    public PutResponse put(PutRequest r, long index) {
        return requests.put(r, index);
    }

    /** Applies a DeleteRange from raft entry {@code index}. */
    public DeleteRangeResponse deleteRange(DeleteRangeRequest r, long index) {
        return requests.deleteRange(r, index);
    }

    /** Applies a Txn from raft entry {@code index}: compares, then one branch, all in one revision. */
    public TxnResponse txn(TxnRequest r, long index) {
        return requests.txn(r, index);
    }

    /** Checks a put as etcd's gRPC layer does before proposing it; {@link #put} checks again. */
    public void validatePut(PutRequest r) {
        TxnChecks.checkPut(r);
    }

    /** Checks a delete as etcd's gRPC layer does before proposing it; {@link #deleteRange} checks again. */
    public void validateDeleteRange(DeleteRangeRequest r) {
        TxnChecks.checkDelete(r);
    }

    /**
     * Checks a txn as etcd's gRPC layer does before proposing it (operation count, empty keys,
     * overlapping puts and deletes); {@link #txn} checks again when applying.
     */
    public void validateTxn(TxnRequest r) {
        requests.validateTxn(r);
    }

    /**
     * Applies a Compaction from raft entry {@code index}: from now on reads below the revision fail;
     * the returned job drops the old revisions from the backend in batches (the caller runs it, e.g.
     * at once when {@code physical} is set; on any thread with a commit per write, on the applier's
     * with batched commits).
     */
    public Compaction compact(CompactionRequest r, long index) {
        return compact(r.getRevision(), index);
    }

    /** The response a compaction answers with. */
    public CompactionResponse compactionResponse() {
        return CompactionResponse.newBuilder().setHeader(header(currentRev)).build();
    }

    /** Records raft entry {@code index} as applied when it changed nothing in the store. */
    public void applied(long index) {
        try (StoreWrite w = beginWrite(index)) {
            w.end();
        }
    }

    /**
     * Applies raft entry {@code index} as a change to buckets outside the key space (auth, alarms,
     * membership: the caller's own buckets, created beforehand), written in the store's batch
     * transaction together with the applied index, so a replay after a crash applies it exactly
     * once. {@code change} must write nothing when it throws; the entry is then not recorded.
     */
    public <T> T applyAux(long index, java.util.function.Function<WriteTx, T> change) {
        try (StoreWrite w = beginWrite(index)) {
            T result = change.apply(w.tx);
            w.end();
            return result;
        }
    }

    // ---- core operations, used by the request layer and tests ----

    /** What a range read: the KeyValues (up to the limit), how many matched, and the store's revision. */
    record Ranged(List<KeyValue> kvs, long count, long rev) {}

    Ranged range(byte[] key, byte[] end, long rev, long limit, boolean countOnly) {
        contentLock.readLock().lock();
        try {
            checkUsable();
            long cur = currentRev; // read first: everything up to cur is in pending or in the snapshot
            Map<byte[], byte[]> p = pending;
            try (ReadTx tx = backend.beginRead()) {
                return rangeKeys(tx, p, key, end, cur, rev, limit, countOnly);
            }
        } finally {
            contentLock.readLock().unlock();
        }
    }

    /** A range over {@code tx} (and {@code p}, the batch's writes the snapshot may lack; null inside the batch). */
    Ranged rangeKeys(ReadTx tx, Map<byte[], byte[]> p, byte[] key, byte[] end, long cur, long rev, long limit,
            boolean countOnly) {
        if (rev > cur) {
            throw MvccError.FUTURE_REVISION.exception();
        }
        long at = rev <= 0 ? cur : rev;
        if (at < compactMainRev) {
            throw MvccError.COMPACTED.exception();
        }
        if (countOnly) {
            int n = index.count(key, end, at);
            checkNotCompacted(at);
            return new Ranged(List.of(), n, cur);
        }
        TreeIndex.Hits hits = index.range(key, end, at, limit);
        checkNotCompacted(at);
        List<KeyValue> kvs = new ArrayList<>(hits.revs().size());
        for (Revision r : hits.revs()) {
            byte[] rb = r.toBytes();
            byte[] v = p == null ? null : p.get(rb);
            if (v == null) {
                v = tx.get(KEY, rb);
            }
            if (v == null) {
                throw fail(new IllegalStateException("revision " + r + " is in the key index but not in the backend"));
            }
            kvs.add(decode(v));
        }
        return new Ranged(kvs, hits.total(), cur);
    }

    private void checkNotCompacted(long at) {
        if (at < compactMainRev) {
            throw MvccError.COMPACTED.exception(); // a compaction ran while we read the index
        }
    }

    /** Begins the write of raft entry {@code index}; only one at a time (others wait). */
    StoreWrite beginWrite(long index) {
        writeLock.lock();
        try {
            checkUsable();
            return new StoreWrite(this, batchTx(), currentRev, index);
        } catch (RuntimeException | Error e) {
            writeLock.unlock();
            throw e;
        }
    }

    /** The open batch transaction, begun if none is open. Under the write lock. */
    WriteTx batchTx() {
        if (batch == null) {
            batch = backend.beginWrite();
            batchWrites = 0;
            batchStart = System.nanoTime();
        }
        return batch;
    }

    /** Called by {@link StoreWrite#end()} under the write lock: maybe commits the batch, advances, notifies. */
    void ended(long rev, long index, List<KeyValue> changes) {
        batchWrites++;
        if (batchWrites >= config.commitBatchLimit() || System.nanoTime() - batchStart >= config.commitInterval().toNanos()) {
            commitBatch();
        }
        if (!changes.isEmpty()) {
            currentRev = rev;
        }
        if (index > appliedIndex) {
            appliedIndex = index;
        }
        watchers.notify(rev, changes);
    }

    /** Commits the open batch, if any. Under the write lock; a failure breaks the store. */
    void commitBatch() {
        if (batch == null) {
            return;
        }
        WriteTx tx = batch;
        batch = null;
        try {
            tx.commit(config.commitDurability());
        } catch (RuntimeException e) {
            throw fail(e);
        }
        pending = new ConcurrentSkipListMap<>(Bytes.ORDER); // only after the commit: see pending
    }

    /**
     * Commits the writes gathered in the open backend transaction. The server calls it every
     * {@link MvccConfig#commitInterval()} and before it reads the backend directly (snapshot,
     * defragment); the store's own reads never need it.
     */
    public void commit() {
        writeLock.lock();
        try {
            checkUsable();
            commitBatch();
        } finally {
            writeLock.unlock();
        }
    }

    Compaction compact(long rev, long raftIndex) {
        writeLock.lock();
        try {
            checkUsable();
            if (rev <= compactMainRev) {
                throw MvccError.COMPACTED.exception();
            }
            if (rev > currentRev) {
                throw MvccError.FUTURE_REVISION.exception();
            }
            WriteTx tx = batchTx();
            tx.put(META, SCHEDULED_COMPACT, new Revision(rev, 0).toBytes());
            if (raftIndex > 0) {
                tx.put(META, CONSISTENT_INDEX, longBytes(raftIndex));
            }
            commitBatch();
            compactMainRev = rev;
            appliedIndex = Math.max(appliedIndex, raftIndex);
            return new Compaction(this, rev, index.compact(rev));
        } finally {
            writeLock.unlock();
        }
    }

    /** etcd's HashKV: CRC-32C over the key bucket's entries a read at {@code rev} depends on. */
    record KvHash(int hash, long compactRevision, long currentRevision) {}

    KvHash hashKv(long rev) {
        writeLock.lock();
        try {
            checkUsable();
            long cur = currentRev;
            long compact = compactMainRev;
            if (rev > 0 && rev > cur) {
                throw MvccError.FUTURE_REVISION.exception();
            }
            if (rev > 0 && rev < compact) {
                throw MvccError.COMPACTED.exception();
            }
            long at = rev == 0 ? cur : rev;
            commitBatch();
            Set<Revision> keep = index.keep(at);
            Revision upper = new Revision(at + 1, 0);
            Revision lower = new Revision(compact + 1, 0);
            CRC32C crc = new CRC32C();
            crc.update(KEY.getBytes(StandardCharsets.US_ASCII));
            try (ReadTx tx = backend.beginRead()) {
                tx.scan(KEY, null, upper.toBytes(), (k, v) -> {
                    Revision kr = Revision.fromBytes(k);
                    // revisions a finished compaction would drop do not count (etcd keeps this quirk: not when keep is empty)
                    if (lower.isAfter(kr) && !keep.isEmpty() && !keep.contains(kr)) {
                        return true;
                    }
                    crc.update(k);
                    crc.update(v);
                    return true;
                });
            }
            return new KvHash((int) crc.getValue(), compact, cur);
        } finally {
            writeLock.unlock();
        }
    }

    /** etcd's HashKV at {@code rev} (0 = current). */
    public HashKVResponse hashKv(kv.api.etcdserverpb.HashKVRequest r) {
        KvHash h = hashKv(r.getRevision());
        return HashKVResponse.newBuilder().setHeader(header(h.currentRevision())).setHash(h.hash())
                .setCompactRevision(h.compactRevision()).build();
    }

    /**
     * etcd's Hash: a CRC-32C over every bucket (its name, then its keys and values in order) except
     * the applied index and term in {@code "meta"}, which differ between members. Equal on two
     * members with the same history and compactions, whatever their engine.
     */
    public HashResponse hash() {
        writeLock.lock();
        try {
            checkUsable();
            commitBatch();
            CRC32C crc = new CRC32C();
            try (ReadTx tx = backend.beginRead()) {
                for (String b : tx.buckets()) {
                    boolean meta = b.equals(META);
                    crc.update(b.getBytes(StandardCharsets.UTF_8));
                    tx.scan(b, null, null, (k, v) -> {
                        if (!meta || !(Arrays.equals(k, CONSISTENT_INDEX) || Arrays.equals(k, TERM))) {
                            crc.update(k);
                            crc.update(v);
                        }
                        return true;
                    });
                }
            }
            return HashResponse.newBuilder().setHeader(header(currentRev)).setHash((int) crc.getValue()).build();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- watch ----

    /** A new stream of watchers; the caller closes it. */
    public WatchStream newWatchStream() {
        checkUsable();
        return new WatchStream(watchers);
    }

    /**
     * One step of watch synchronisation: serves compaction errors and catch-up events to unsynced
     * watchers (those that started in the past or whose stream buffer was full), moving those that
     * caught up to the synced set. Never blocks writers for long; the server calls it from one
     * thread every 100 ms, tests call it directly. Returns how many watchers are still unsynced.
     */
    public int syncWatchers() {
        checkUsable();
        return watchers.sync();
    }

    // ---- leases ----

    private void applyLeaseChange(long index, List<byte[]> keys, Consumer<WriteTx> changes) {
        try (StoreWrite w = beginWrite(index)) {
            for (byte[] k : keys) {
                w.deleteRange(k, null);
            }
            changes.accept(w.tx);
            w.end();
        }
    }

    // ---- restore ----

    /**
     * Takes over the content of a leader's backend snapshot ({@link BackendSnapshot}'s stream), in
     * place: the same store and backend objects, watch streams left open. For a follower too far
     * behind to catch up from the leader's log (etcd's applySnapshot). Call it from the applying
     * thread, between two entries.
     *
     * <p>Under the write lock it commits the open batch, deletes every bucket of the backend (the
     * store's and the caller's: auth, alarms, membership, all of which the snapshot brings back) in
     * one commit, restores the stream into the backend, then rebuilds everything in memory from the
     * new content exactly as {@link #open} does: key index, current and compact revision (finishing
     * a compaction the snapshot shows as scheduled but unfinished), applied index, and the lease
     * table (the {@link Lessor} keeps its role; a primary's leases get fresh expiries). Compaction
     * jobs handed out before become no-ops. Whoever keeps other state in the backend (auth, alarms)
     * reloads it afterwards.
     *
     * <p>Readers: range reads, hashes, watcher creation and watch sync steps wait until the restore
     * ends (they never see half of it), then see the new content; lease reads ({@link #lessor()})
     * do not wait and see the old lease table until the new one replaces it in one step. Watchers:
     * every open watcher goes on from the next revision it needs; the watch sync step serves the
     * events of the new content after it, or a compacted response when the new content is
     * compacted past it, as etcd does.
     *
     * <p>Failure: a corrupt or truncated stream ({@link kv.backend.BackendCorruptedException}), a
     * read error, a backend failure, or a snapshot whose applied index ({@code consistent_index})
     * is below this store's ({@link IllegalStateException}: raft never sends an older snapshot)
     * leaves the backend half restored: the store is then failed (every later call throws
     * {@link IllegalStateException}, as after a failed commit), the exception propagates, and the
     * member must stop. Does not close {@code backendSnapshot}.
     *
     * @throws IllegalStateException when the store is already failed or closed, or as above
     */
    public void restoreFrom(InputStream backendSnapshot) {
        Objects.requireNonNull(backendSnapshot, "backendSnapshot");
        writeLock.lock();
        try {
            checkUsable();
            commitBatch();
            watchers.takeOver(() -> {
                contentLock.writeLock().lock();
                try {
                    replaceContent(backendSnapshot);
                } finally {
                    contentLock.writeLock().unlock();
                }
            });
        } finally {
            writeLock.unlock();
        }
    }

    /** The body of {@link #restoreFrom}, under every lock of the store. */
    private void replaceContent(InputStream in) {
        long before = appliedIndex;
        contentEpoch++;
        BackendSnapshot.Summary summary;
        try {
            StoreLoader.clearBackend(backend);
            summary = BackendSnapshot.restore(in, backend);
            index.clear();
            pending = new ConcurrentSkipListMap<>(Bytes.ORDER);
            currentRev = 1;
            StoreLoader.load(this);
        } catch (RuntimeException e) {
            throw fail(e);
        } catch (Error e) {
            failure = e;
            throw e;
        }
        if (appliedIndex < before) {
            throw fail(new IllegalStateException("snapshot applied index " + appliedIndex
                    + " is below the store's applied index " + before));
        }
        LOG.log(Level.INFO, "restored a {0} snapshot ({1} buckets, {2} entries): revision {3}, compacted at {4}, applied index {5}",
                summary.sourceEngine(), summary.buckets(), summary.entries(), currentRev, compactMainRev, appliedIndex);
    }

    // ---- shared bits ----

    static KeyValue decode(byte[] v) {
        try {
            return KeyValue.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt KeyValue in bucket \"key\": " + e.getMessage(), e);
        }
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder().setRevision(rev).build();
    }

    void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("the store failed and must be reopened: " + failure, failure);
        }
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    /** Marks the store broken (a backend commit failed mid-write) and returns the cause to throw. */
    RuntimeException fail(RuntimeException e) {
        failure = e;
        LOG.log(Level.ERROR, "mvcc store failed; it must be reopened", e);
        return e;
    }

    /** Commits the open batch, closes the watch streams and refuses further calls; does not close the backend. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (!closed && failure == null) {
                commitBatch();
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        watchers.closeAll();
    }
}
