package kv.backend.lmdb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kv.backend.Backend;
import kv.backend.BackendException;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * What read and write transactions share: an LMDB read-only transaction on one {@link LmdbStore}
 * (the write transaction reads its base state through one too, and keeps its own writes apart until
 * commit), cursor bookkeeping, and the open/closed state. Environments are opened with
 * {@code MDB_NOTLS}, so the LMDB transaction may move between threads, one at a time.
 *
 * <p>Every public method takes a shared hold on the backend's {@link kv.backend.support.NativeGuard}. Single-threaded,
 * except {@link #release()}, which the backend calls under the guard's exclusive hold on close.
 */
abstract sealed class LmdbTx implements ReadTx permits LmdbReadTx, LmdbWriteTx {
    final LmdbBackend backend;
    private final LmdbStore store;
    final Txn<ByteBuffer> txn;
    final ByteBuffer keyBuffer;
    private final Map<String, Boolean> registered = new HashMap<>();
    private final List<LmdbCursor> cursors = new ArrayList<>();
    private boolean closed;

    LmdbTx(LmdbBackend backend, LmdbStore store) {
        this.backend = backend;
        this.store = store;
        this.keyBuffer = ByteBuffer.allocateDirect(store.keyLimit);
        try {
            this.txn = store.env.txnRead();
        } catch (LmdbException e) {
            store.release();
            throw new BackendException("lmdb: cannot begin a read transaction in " + backend.directory() + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code key} in an existing bucket, as this transaction sees it. */
    abstract byte[] read(String bucket, byte[] key);

    /** A walk over an existing bucket, as this transaction sees it. */
    abstract Walk walk(String bucket);

    abstract boolean exists(String bucket);

    abstract List<String> names();

    /** Frees what the subclass owns, after the cursors and before the LMDB transaction. */
    abstract void releaseOwn();

    @Override
    public byte[] get(String bucket, byte[] key) {
        enter();
        try {
            checkOpen();
            requireBucket(bucket);
            if (key.length == 0 || key.length > Backend.MAX_KEY_SIZE) {
                return null;
            }
            return read(bucket, key);
        } catch (LmdbException e) {
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
            requireBucket(bucket);
            LmdbCursor c = new LmdbCursor(this, walk(bucket));
            cursors.add(c);
            return c;
        } catch (LmdbException e) {
            throw failure("cursor", e);
        } finally {
            exit();
        }
    }

    @Override
    public boolean hasBucket(String bucket) {
        enter();
        try {
            checkOpen();
            return exists(bucket);
        } catch (LmdbException e) {
            throw failure("bucket lookup", e);
        } finally {
            exit();
        }
    }

    @Override
    public List<String> buckets() {
        enter();
        try {
            checkOpen();
            List<String> names = new ArrayList<>(names());
            names.sort(null);
            return names;
        } catch (LmdbException e) {
            throw failure("list buckets", e);
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

    /** Closes cursors, the subclass's state and the LMDB transaction; idempotent. */
    void release() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (LmdbCursor c : cursors) {
                c.release();
            }
            cursors.clear();
            releaseOwn();
            txn.close();
        } finally {
            store.release();
        }
    }

    /** Whether the bucket is in the registry of this transaction's LMDB snapshot (cached). */
    final boolean inBase(String bucket) {
        return registered.computeIfAbsent(bucket, b -> store.registered(txn, b, keyBuffer));
    }

    /** The bucket's table in this transaction's LMDB snapshot; the bucket must be registered there. */
    final BucketTable baseTable(String bucket) {
        return new BucketTable(store.handle(bucket), txn, store.keyLimit, keyBuffer);
    }

    final void requireBucket(String bucket) {
        if (!exists(bucket)) {
            throw new BucketNotFoundException("backend: bucket \"" + bucket + "\" not found");
        }
    }

    final LmdbStore store() {
        return store;
    }

    final void forget(LmdbCursor c) {
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

    final void checkOpen() {
        if (closed) {
            throw new TransactionClosedException("backend: transaction is closed");
        }
    }

    final BackendException failure(String what, LmdbException e) {
        return new BackendException("lmdb: " + what + " failed in " + backend.directory() + ": " + e.getMessage(), e);
    }
}
