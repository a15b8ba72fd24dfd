package kv.backend.lmdb;

import java.util.NavigableMap;
import java.util.TreeMap;
import kv.backend.Bytes;

/**
 * What a write transaction did to one bucket, kept in memory until commit: whether the bucket
 * exists at the end, whether its committed content was discarded (deleted, or deleted and created
 * again), and the latest write per key ({@link #TOMBSTONE} for a delete). This is also the redo
 * log: applying it to a fresh LMDB write transaction gives the same result however often it is
 * replayed, which is what growing the map on {@code MDB_MAP_FULL} needs.
 *
 * <p>Owned by one write transaction; not thread-safe.
 */
final class BucketChange {
    /** Marks a deleted key in {@link #writes}; compared by identity. */
    static final byte[] TOMBSTONE = new byte[0];

    final boolean existedBefore;
    boolean exists;
    boolean cleared;
    final NavigableMap<byte[], byte[]> writes = new TreeMap<>(Bytes.ORDER);

    BucketChange(boolean existedBefore) {
        this.existedBefore = existedBefore;
        this.exists = existedBefore;
    }

    /** Whether the committed content still shows through (no delete of the bucket in this transaction). */
    boolean seesBase() {
        return existedBefore && !cleared;
    }

    void deleteBucket() {
        exists = false;
        cleared = true;
        writes.clear();
    }

    void createBucket() {
        exists = true;
        cleared = true;
        writes.clear();
    }
}
