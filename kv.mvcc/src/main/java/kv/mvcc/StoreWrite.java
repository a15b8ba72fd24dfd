package kv.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import kv.api.mvccpb.KeyValue;
import kv.backend.WriteTx;
import kv.mvcc.lease.Lessor;

/**
 * One write of the store (one raft entry): every change in it shares main revision
 * {@code beginRev + 1} with increasing sub revisions. Holds the store's write lock from
 * {@link MvccStore#beginWrite} until {@link #end()} or {@link #close()}.
 *
 * <p>The key index is updated as changes are made; readers do not see them because they read at
 * the store's current revision, which {@link #end()} advances only after the backend commit.
 * Not thread-safe: the applying thread only.
 */
final class StoreWrite implements AutoCloseable {
    private final MvccStore store;
    final WriteTx tx;
    private final long beginRev;
    private final long index;
    private final List<KeyValue> changes = new ArrayList<>();
    private boolean done;

    StoreWrite(MvccStore store, WriteTx tx, long beginRev, long index) {
        this.store = store;
        this.tx = tx;
        this.beginRev = beginRev;
        this.index = index;
    }

    /** The revision a read inside this write sees: its own changes included. */
    long readRev() {
        return changes.isEmpty() ? beginRev : beginRev + 1;
    }

    /** The store's revision after this write (the response header's revision). */
    long rev() {
        return readRev();
    }

    long compactRev() {
        return store.compactMainRev;
    }

    boolean changed() {
        return !changes.isEmpty();
    }

    MvccStore.Ranged range(byte[] key, byte[] end, long rev, long limit, boolean countOnly) {
        return store.rangeKeys(tx, null, key, end, readRev(), rev, limit, countOnly);
    }

    /** Puts {@code key}; returns the revision. */
    long put(byte[] key, byte[] value, long lease) {
        long rev = beginRev + 1;
        long created = rev;
        long version = 1;
        long oldLease = Lessor.NO_LEASE;
        KeyIndex.Found f = store.index.get(key, rev);
        if (f != null) {
            created = f.created().main();
            version = f.version() + 1;
            oldLease = store.lessor.leaseOf(key);
        }
        Revision at = new Revision(rev, changes.size());
        KeyValue kv = KeyValue.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                .setCreateRevision(created).setModRevision(rev).setVersion(version).setLease(lease).build();
        byte[] rb = at.toBytes();
        byte[] vb = kv.toByteArray();
        tx.put(MvccStore.KEY, rb, vb);
        store.pending.put(rb, vb);
        store.index.put(key, at);
        changes.add(kv);
        if (oldLease != Lessor.NO_LEASE) {
            store.lessor.detach(oldLease, key);
        }
        if (lease != Lessor.NO_LEASE) {
            store.lessor.attach(lease, key);
        }
        return rev;
    }

    /** Deletes the keys in [key, end) (end {@code null}: just key); returns how many existed. */
    long deleteRange(byte[] key, byte[] end) {
        TreeIndex.Hits hits = store.index.range(key, end, readRev(), 0);
        for (byte[] k : hits.keys()) {
            delete(k);
        }
        return hits.keys().size();
    }

    private void delete(byte[] key) {
        Revision at = new Revision(beginRev + 1, changes.size());
        KeyValue tomb = KeyValue.newBuilder().setKey(ByteString.copyFrom(key)).build();
        byte[] rb = at.toTombstoneBytes();
        byte[] vb = tomb.toByteArray();
        tx.put(MvccStore.KEY, rb, vb);
        store.pending.put(rb, vb);
        if (!store.index.tombstone(key, at)) {
            throw store.fail(new IllegalStateException("deleting a key the index does not hold live"));
        }
        changes.add(tomb);
        long lease = store.lessor.leaseOf(key);
        if (lease != Lessor.NO_LEASE) {
            store.lessor.detach(lease, key);
        }
    }

    /**
     * Records the raft index with the changes, advances the revision, notifies watchers, releases the
     * write lock. The backend transaction is the store's batch: it commits when the batch is full or
     * old (see {@link MvccConfig#commitBatchLimit()}); readers see the changes at once regardless.
     */
    void end() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (index > 0) {
                tx.put(MvccStore.META, MvccStore.CONSISTENT_INDEX, MvccStore.longBytes(index));
            }
            store.ended(beginRev + 1, index, changes);
        } catch (RuntimeException e) {
            throw store.fail(e);
        } finally {
            store.writeLock.unlock();
        }
    }

    /**
     * Ends a write that was not {@link #end() ended}: harmless if it changed nothing (it wrote
     * nothing to the batch), fatal otherwise (the batch and the key index hold half a write).
     */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (!changes.isEmpty()) {
                store.fail(new IllegalStateException("a write with changes was abandoned; the key index no longer matches the backend"));
            } else if (store.config.commitBatchLimit() == 1) {
                store.commitBatch(); // nothing of ours in it; keeps a transaction from outliving its thread
            }
        } finally {
            store.writeLock.unlock();
        }
    }
}
