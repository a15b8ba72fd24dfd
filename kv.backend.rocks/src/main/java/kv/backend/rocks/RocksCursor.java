package kv.backend.rocks;

import kv.backend.BackendException;
import kv.backend.Cursor;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A {@link Cursor} over one bucket: a RocksDB iterator bounded to the bucket's prefix (the bounds
 * in the read options let RocksDB skip whole files and tombstones outside the bucket; the prefix
 * check on every position keeps the write transaction's merged iterator, whose in-batch part may
 * ignore bounds, inside the bucket too).
 *
 * <p>Owns the iterator, its read options and bound slices, and closes them in that order (an
 * iterator must go before the options and slices it reads). Single-threaded, like its transaction.
 */
final class RocksCursor implements Cursor {
    private final RocksTx tx;
    private final byte[] prefix;
    private final byte[] upper;
    private final RocksIterator it;
    private final ReadOptions options;
    private final Slice lowerSlice;
    private final Slice upperSlice;
    private byte[] rawKey;
    private boolean closed;

    RocksCursor(RocksTx tx, byte[] prefix, RocksIterator it, ReadOptions options, Slice lowerSlice, Slice upperSlice) {
        this.tx = tx;
        this.prefix = prefix;
        this.upper = Keys.upperBound(prefix);
        this.it = it;
        this.options = options;
        this.lowerSlice = lowerSlice;
        this.upperSlice = upperSlice;
    }

    @Override
    public boolean first() {
        tx.enter();
        try {
            checkOpen();
            it.seek(prefix);
            return settle();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean last() {
        tx.enter();
        try {
            checkOpen();
            // no data key equals the bare next prefix (user keys are never empty), so this lands on the bucket's last key
            it.seekForPrev(upper);
            return settle();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean seek(byte[] key) {
        tx.enter();
        try {
            checkOpen();
            it.seek(Keys.data(prefix, key));
            return settle();
        } finally {
            tx.exit();
        }
    }

    @Override
    public boolean next() {
        return step(true);
    }

    @Override
    public boolean prev() {
        return step(false);
    }

    private boolean step(boolean forward) {
        tx.enter();
        try {
            checkOpen();
            if (rawKey == null) {
                return false;
            }
            if (forward) {
                it.next();
            } else {
                it.prev();
            }
            return settle();
        } finally {
            tx.exit();
        }
    }

    @Override
    public byte[] key() {
        tx.enter();
        try {
            checkPositioned();
            return Keys.userKey(rawKey);
        } finally {
            tx.exit();
        }
    }

    @Override
    public byte[] value() {
        tx.enter();
        try {
            checkPositioned();
            return it.value();
        } finally {
            tx.exit();
        }
    }

    @Override
    public void close() {
        if (!closed && tx.tryEnter()) {
            try {
                release();
                tx.forget(this);
            } finally {
                tx.exit();
            }
        }
    }

    /** Frees the native iterator; called with a hold on the guard (or under the exclusive close). */
    void release() {
        if (closed) {
            return;
        }
        closed = true;
        it.close();
        options.close();
        lowerSlice.close();
        upperSlice.close();
    }

    /** Records where the iterator stands (its key, or null when off the bucket); one native key read per step. */
    private boolean settle() {
        byte[] k = it.isValid() ? it.key() : null;
        rawKey = k != null && Keys.hasPrefix(k, prefix) ? k : null;
        if (rawKey == null) {
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new BackendException("rocksdb: iterator failed in " + tx.directory() + ": " + e.getMessage(), e);
            }
        }
        return rawKey != null;
    }

    private void checkOpen() {
        tx.checkOpen();
        if (closed) {
            throw new IllegalStateException("backend: cursor is closed");
        }
    }

    private void checkPositioned() {
        checkOpen();
        if (rawKey == null) {
            throw new IllegalStateException("backend: cursor is not positioned on an entry");
        }
    }
}
