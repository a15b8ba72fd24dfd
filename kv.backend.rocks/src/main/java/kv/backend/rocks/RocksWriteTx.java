package kv.backend.rocks;

import java.util.ArrayList;
import java.util.List;
import kv.backend.BackendException;
import kv.backend.Durability;
import kv.backend.WriteTx;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The write transaction: a {@link WriteBatchWithIndex} (one entry per key, the latest write wins)
 * read through together with the database, so reads and cursors see the transaction's own writes.
 * Nothing reaches the database before {@link #commit}, which writes the whole batch atomically.
 *
 * <p>Bucket operations are ordinary writes in the same batch (the registry lives in the key space,
 * see {@link Keys}), so creating or deleting a bucket commits or aborts with the data. Deleting a
 * bucket or a range deletes each key: the count is part of the contract, and a per-key delete is
 * what the batch's index can show to later reads in this transaction.
 */
final class RocksWriteTx extends RocksTx implements WriteTx {
    /** Keys collected per round of a range delete: bounds memory on large ranges. */
    private static final int DELETE_CHUNK = 4096;

    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions reads = new ReadOptions();
    private boolean released;

    RocksWriteTx(RocksBackend backend) {
        super(backend);
    }

    @Override
    byte[] read(byte[] rawKey) throws RocksDBException {
        return batch.getFromBatchAndDB(backend.db(), reads, rawKey);
    }

    @Override
    ReadOptions newReadOptions() {
        return new ReadOptions();
    }

    @Override
    RocksIterator newIterator(ReadOptions options) {
        return batch.newIteratorWithBase(backend.db().getDefaultColumnFamily(), backend.db().newIterator(options), options);
    }

    @Override
    public boolean createBucket(String bucket) {
        enter();
        try {
            checkOpen();
            Keys.checkBucketName(bucket);
            if (prefix(bucket) != null) {
                return false;
            }
            byte[] counter = read(Keys.COUNTER);
            long id = counter == null ? Keys.FIRST_ID : Keys.id(counter);
            if (id > Keys.LAST_ID) {
                throw new BackendException("rocksdb: out of bucket ids in " + directory());
            }
            byte[] prefix = Keys.prefix(id);
            batch.put(Keys.COUNTER, Keys.prefix(id + 1));
            batch.put(Keys.registryKey(bucket), prefix);
            remember(bucket, prefix);
            return true;
        } catch (RocksDBException e) {
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
            byte[] prefix = prefix(bucket);
            if (prefix == null) {
                return false;
            }
            deleteKeys(prefix, prefix, null);
            batch.delete(Keys.registryKey(bucket));
            remember(bucket, null);
            return true;
        } catch (RocksDBException e) {
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
            Keys.checkKey(key);
            Keys.checkValue(value);
            batch.put(Keys.data(prefixOrThrow(bucket), key), value);
        } catch (RocksDBException e) {
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
            byte[] prefix = prefixOrThrow(bucket);
            Keys.checkKey(key);
            byte[] raw = Keys.data(prefix, key);
            if (read(raw) == null) {
                return false;
            }
            batch.delete(raw);
            return true;
        } catch (RocksDBException e) {
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
            byte[] prefix = prefixOrThrow(bucket);
            byte[] start = from == null ? prefix : Keys.data(prefix, from);
            byte[] end = to == null ? null : Keys.data(prefix, to);
            return deleteKeys(prefix, start, end);
        } catch (RocksDBException e) {
            throw failure("delete range", e);
        } finally {
            exit();
        }
    }

    /** Deletes every key of the bucket with {@code start <= raw key < end} ({@code end} null: bucket end). */
    private long deleteKeys(byte[] prefix, byte[] start, byte[] end) throws RocksDBException {
        byte[] limit = end == null ? Keys.upperBound(prefix) : end;
        long deleted = 0;
        while (true) {
            List<byte[]> keys = new ArrayList<>();
            try (ReadOptions options = newReadOptions(); RocksIterator it = newIterator(options)) {
                for (it.seek(start); it.isValid() && keys.size() < DELETE_CHUNK; it.next()) {
                    byte[] k = it.key();
                    if (java.util.Arrays.compareUnsigned(k, limit) >= 0) {
                        break;
                    }
                    keys.add(k);
                }
                it.status();
            }
            for (byte[] k : keys) {
                batch.delete(k);
            }
            deleted += keys.size();
            if (keys.size() < DELETE_CHUNK) {
                return deleted;
            }
            start = keys.getLast();
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
            backend.write(batch, durability);
        } finally {
            try {
                release();
                backend.forget(this);
            } finally {
                exit();
            }
        }
    }

    @Override
    void releaseOwn() {
        if (released) {
            return;
        }
        released = true;
        batch.close();
        reads.close();
        backend.releaseWriteSlot();
    }
}
