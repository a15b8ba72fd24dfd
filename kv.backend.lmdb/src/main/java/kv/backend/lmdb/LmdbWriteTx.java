package kv.backend.lmdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kv.backend.Durability;
import kv.backend.WriteTx;
import org.lmdbjava.LmdbException;

/**
 * The write transaction. Its writes stay in memory ({@link BucketChange} per bucket) over a
 * read-only LMDB snapshot of the committed state, and reads and cursors merge the two; commit
 * replays them into one LMDB write transaction and commits it (see {@link LmdbBackend#commit}).
 * Keeping LMDB's write transaction inside commit means it begins and ends in one call on one
 * platform thread, as LMDB's writer lock requires, whatever threads used this transaction before;
 * and the changes are the redo log that a map-full retry replays.
 */
final class LmdbWriteTx extends LmdbTx implements WriteTx {
    private final Map<String, BucketChange> changes = new LinkedHashMap<>();
    private boolean slotReleased;

    LmdbWriteTx(LmdbBackend backend, LmdbStore store) {
        super(backend, store);
    }

    @Override
    byte[] read(String bucket, byte[] key) {
        BucketChange c = changes.get(bucket);
        if (c != null) {
            byte[] w = c.writes.get(key);
            if (w == BucketChange.TOMBSTONE) {
                return null;
            }
            if (w != null) {
                return w.clone();
            }
            if (!c.seesBase()) {
                return null;
            }
        }
        return baseTable(bucket).get(key);
    }

    @Override
    Walk walk(String bucket) {
        BucketChange c = change(bucket);
        return new MergedWalk(c.writes, c.seesBase() ? baseTable(bucket).walker() : null);
    }

    @Override
    boolean exists(String bucket) {
        BucketChange c = changes.get(bucket);
        return c != null ? c.exists : inBase(bucket);
    }

    @Override
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (String n : store().names(txn)) {
            BucketChange c = changes.get(n);
            if (c == null || c.exists) {
                names.add(n);
            }
        }
        changes.forEach((n, c) -> {
            if (c.exists && !c.existedBefore) {
                names.add(n);
            }
        });
        return names;
    }

    private BucketChange change(String bucket) {
        return changes.computeIfAbsent(bucket, b -> new BucketChange(inBase(b)));
    }

    @Override
    public boolean createBucket(String bucket) {
        enter();
        try {
            checkOpen();
            Limits.checkBucketName(bucket, store().maxBucketName());
            if (exists(bucket)) {
                return false;
            }
            change(bucket).createBucket();
            return true;
        } catch (LmdbException e) {
            throw failure("create bucket", e);
        } finally {
            exit();
        }
    }

    @Override
    public boolean deleteBucket(String bucket) {
        enter();
        try {
            checkOpen();
            if (!exists(bucket)) {
                return false;
            }
            change(bucket).deleteBucket();
            return true;
        } catch (LmdbException e) {
            throw failure("delete bucket", e);
        } finally {
            exit();
        }
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        enter();
        try {
            checkOpen();
            Limits.checkKey(key);
            Limits.checkValue(value);
            requireBucket(bucket);
            change(bucket).writes.put(key.clone(), value.clone());
        } catch (LmdbException e) {
            throw failure("put", e);
        } finally {
            exit();
        }
    }

    @Override
    public boolean delete(String bucket, byte[] key) {
        enter();
        try {
            checkOpen();
            requireBucket(bucket);
            Limits.checkKey(key);
            if (read(bucket, key) == null) {
                return false;
            }
            markDeleted(change(bucket), key.clone());
            return true;
        } catch (LmdbException e) {
            throw failure("delete", e);
        } finally {
            exit();
        }
    }

    @Override
    public long deleteRange(String bucket, byte[] from, byte[] to) {
        enter();
        try {
            checkOpen();
            requireBucket(bucket);
            BucketChange c = change(bucket);
            List<byte[]> doomed = new ArrayList<>();
            Walk w = walk(bucket);
            try {
                boolean ok = from == null ? w.first() : w.seek(from);
                for (; ok && (to == null || kv.backend.Bytes.compare(w.key(), to) < 0); ok = w.next()) {
                    doomed.add(w.key());
                }
            } finally {
                w.close();
            }
            for (byte[] k : doomed) {
                markDeleted(c, k);
            }
            return doomed.size();
        } catch (LmdbException e) {
            throw failure("delete range", e);
        } finally {
            exit();
        }
    }

    /** A key only this transaction wrote needs no tombstone unless committed content shows through. */
    private static void markDeleted(BucketChange c, byte[] key) {
        if (c.seesBase()) {
            c.writes.put(key, BucketChange.TOMBSTONE);
        } else {
            c.writes.remove(key);
        }
    }

    @Override
    public void commit() {
        commit(backend.durability());
    }

    @Override
    public void commit(Durability durability) {
        enter();
        try {
            checkOpen();
        } finally {
            exit();
        }
        try {
            backend.commit(store(), changes, durability);
        } finally {
            close();
        }
    }

    @Override
    void releaseOwn() {
        changes.clear();
        if (!slotReleased) {
            slotReleased = true;
            backend.releaseWriteSlot();
        }
    }
}
