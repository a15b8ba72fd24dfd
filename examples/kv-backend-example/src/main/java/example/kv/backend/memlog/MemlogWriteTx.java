package example.kv.backend.memlog;

import java.util.Collection;
import java.util.NavigableMap;
import java.util.Objects;
import kv.backend.Backend;
import kv.backend.BackendException;
import kv.backend.Durability;
import kv.backend.KeyTooLargeException;
import kv.backend.ValueTooLargeException;
import kv.backend.WriteTx;

/**
 * The write transaction: changes a copy-on-write working copy of the state it began on and records
 * each change in the frame it will append at commit. Every argument is checked before anything
 * changes, so a refused call leaves the transaction as it was. Holds the backend's write slot from
 * begin to commit or close. Not thread-safe.
 */
final class MemlogWriteTx extends MemlogTx implements WriteTx {
    /** A transaction's frame must fit an int length; refuse well before. */
    static final long MAX_FRAME = 1L << 30;

    private final Changes changes;
    private final Codec.Out log = new Codec.Out();

    MemlogWriteTx(MemlogBackend backend, State base) {
        super(backend);
        this.changes = new Changes(base);
    }

    @Override
    NavigableMap<byte[], byte[]> map(String bucket) {
        return changes.bucket(bucket);
    }

    @Override
    Collection<String> names() {
        return changes.bucketNames();
    }

    @Override
    public boolean createBucket(String bucket) {
        checkOpen();
        Objects.requireNonNull(bucket, "bucket");
        if (!changes.createBucket(bucket)) {
            return false;
        }
        log.type(Codec.CREATE).name(bucket);
        return true;
    }

    @Override
    public boolean deleteBucket(String bucket) {
        checkOpen();
        if (!changes.deleteBucket(bucket)) {
            return false;
        }
        log.type(Codec.DROP).name(bucket);
        return true;
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        checkOpen();
        existing(bucket);
        checkKey(key);
        Objects.requireNonNull(value, "value");
        if (value.length > Backend.MAX_VALUE_SIZE) {
            throw new ValueTooLargeException("memlog: value of " + value.length + " bytes exceeds " + Backend.MAX_VALUE_SIZE);
        }
        if (log.size() + (long) key.length + value.length + bucket.length() * 3L + 16 > MAX_FRAME) {
            throw new BackendException("memlog: a transaction may log at most " + MAX_FRAME + " bytes; commit and go on in another");
        }
        byte[] k = key.clone();
        byte[] v = value.clone();
        changes.put(bucket, k, v);
        log.type(Codec.PUT).name(bucket).bytes(k).bytes(v);
    }

    @Override
    public boolean delete(String bucket, byte[] key) {
        checkOpen();
        existing(bucket);
        Objects.requireNonNull(key, "key");
        if (!changes.delete(bucket, key)) {
            return false;
        }
        log.type(Codec.DELETE).name(bucket).bytes(key);
        return true;
    }

    @Override
    public long deleteRange(String bucket, byte[] from, byte[] to) {
        checkOpen();
        existing(bucket);
        long n = changes.deleteRange(bucket, from, to);
        if (n > 0) {
            log.type(Codec.DELETE_RANGE).name(bucket).optionalBytes(from).optionalBytes(to);
        }
        return n;
    }

    @Override
    public void commit() {
        commit(backend.durability());
    }

    @Override
    public void commit(Durability durability) {
        checkOpen();
        Objects.requireNonNull(durability, "durability");
        super.close();
        try {
            backend.publish(log.size() == 0 ? null : log.frame(), changes.freeze(), durability);
        } finally {
            backend.releaseWrite();
        }
    }

    @Override
    public void close() {
        if (!isClosed()) {
            super.close();
            backend.releaseWrite();
        }
    }

    private static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("memlog: key is empty");
        }
        if (key.length > Backend.MAX_KEY_SIZE) {
            throw new KeyTooLargeException("memlog: key of " + key.length + " bytes exceeds " + Backend.MAX_KEY_SIZE);
        }
    }
}
