package kv.backend.rocks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kv.backend.BackendException;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * What read and write transactions share: bucket lookups through the registry (cached for the
 * transaction's life, which is sound because the registry seen by one transaction never changes
 * except through its own writes), cursor bookkeeping, and the open/closed state.
 *
 * <p>Every public method takes a shared hold on the backend's {@link kv.backend.support.NativeGuard} around its native
 * calls. Single-threaded (one thread at a time), except {@link #release()}, which the backend
 * calls under the guard's exclusive hold while closing.
 */
abstract sealed class RocksTx implements ReadTx permits RocksReadTx, RocksWriteTx {
    final RocksBackend backend;
    private final Map<String, Optional<byte[]>> prefixes = new HashMap<>();
    private final List<RocksCursor> cursors = new ArrayList<>();
    private boolean closed;

    RocksTx(RocksBackend backend) {
        this.backend = backend;
    }

    /** Reads one raw key as this transaction sees it. */
    abstract byte[] read(byte[] rawKey) throws RocksDBException;

    /** Read options for a new iterator (with this transaction's snapshot, if it has one). */
    abstract ReadOptions newReadOptions();

    /** An iterator as this transaction sees the store; takes ownership of nothing. */
    abstract RocksIterator newIterator(ReadOptions options);

    /** Frees the transaction's own native objects (cursors are freed before). */
    abstract void releaseOwn();

    @Override
    public byte[] get(String bucket, byte[] key) {
        enter();
        try {
            checkOpen();
            byte[] prefix = prefixOrThrow(bucket);
            if (key.length == 0) {
                return null;
            }
            return read(Keys.data(prefix, key));
        } catch (RocksDBException e) {
            throw failure("get", e);
        } finally {
            exit();
        }
    }

    @Override
    public Cursor cursor(String bucket) {
        enter();
        try {
            checkOpen();
            byte[] prefix = prefixOrThrow(bucket);
            Slice lower = new Slice(prefix);
            Slice upper = new Slice(Keys.upperBound(prefix));
            ReadOptions options = newReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
            RocksIterator it;
            try {
                it = newIterator(options);
            } catch (RuntimeException e) {
                options.close();
                lower.close();
                upper.close();
                throw e;
            }
            RocksCursor c = new RocksCursor(this, prefix, it, options, lower, upper);
            cursors.add(c);
            return c;
        } finally {
            exit();
        }
    }

    @Override
    public boolean hasBucket(String bucket) {
        enter();
        try {
            checkOpen();
            return prefix(bucket) != null;
        } finally {
            exit();
        }
    }

    @Override
    public List<String> buckets() {
        enter();
        try {
            checkOpen();
            List<String> names = new ArrayList<>();
            try (ReadOptions options = newReadOptions(); RocksIterator it = newIterator(options)) {
                for (it.seek(Keys.REGISTRY_PREFIX); it.isValid() && Keys.hasPrefix(it.key(), Keys.REGISTRY_PREFIX); it.next()) {
                    names.add(Keys.bucketName(it.key()));
                }
                it.status();
            } catch (RocksDBException e) {
                throw failure("list buckets", e);
            }
            names.sort(null);
            return names;
        } finally {
            exit();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!tryEnter()) {
            closed = true;
            return;
        }
        try {
            release();
            backend.forget(this);
        } finally {
            exit();
        }
    }

    /** Closes cursors and frees native objects; idempotent. */
    void release() {
        if (closed) {
            return;
        }
        closed = true;
        for (RocksCursor c : cursors) {
            c.release();
        }
        cursors.clear();
        releaseOwn();
    }

    /** The bucket's key prefix, or null when it does not exist (as this transaction sees it). */
    final byte[] prefix(String bucket) {
        Optional<byte[]> known = prefixes.get(bucket);
        if (known == null) {
            try {
                known = Optional.ofNullable(read(Keys.registryKey(bucket)));
            } catch (RocksDBException e) {
                throw failure("read bucket registry", e);
            }
            prefixes.put(bucket, known);
        }
        return known.orElse(null);
    }

    final byte[] prefixOrThrow(String bucket) {
        byte[] p = prefix(bucket);
        if (p == null) {
            throw new BucketNotFoundException("backend: bucket \"" + bucket + "\" not found");
        }
        return p;
    }

    /** Records a bucket created or deleted by this transaction. */
    final void remember(String bucket, byte[] prefix) {
        prefixes.put(bucket, Optional.ofNullable(prefix));
    }

    final void forget(RocksCursor c) {
        cursors.remove(c);
    }

    final void enter() {
        backend.guard.enter();
    }

    final boolean tryEnter() {
        return backend.guard.tryEnter();
    }

    final void exit() {
        backend.guard.exit();
    }

    final boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new TransactionClosedException("backend: transaction is closed");
        }
    }

    final Path directory() {
        return backend.directory();
    }

    final BackendException failure(String what, RocksDBException e) {
        return new BackendException("rocksdb: " + what + " failed in " + directory() + ": " + e.getMessage(), e);
    }
}
