package example.kv.backend.memlog;

import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;

/**
 * The reads shared by both kinds of transaction, over whatever maps the subclass sees: a published
 * {@link State} for a reader, its working copy for the writer. Not thread-safe.
 */
abstract sealed class MemlogTx implements ReadTx permits MemlogTx.Read, MemlogWriteTx {
    final MemlogBackend backend;
    private boolean closed;

    MemlogTx(MemlogBackend backend) {
        this.backend = backend;
    }

    /** The entries of {@code bucket}, or {@code null} when it does not exist. */
    abstract NavigableMap<byte[], byte[]> map(String bucket);

    abstract Collection<String> names();

    @Override
    public byte[] get(String bucket, byte[] key) {
        checkOpen();
        NavigableMap<byte[], byte[]> m = map(bucket);
        byte[] v = m == null ? null : m.get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public Cursor cursor(String bucket) {
        checkOpen();
        return new MapCursor(existing(bucket), this);
    }

    @Override
    public boolean hasBucket(String bucket) {
        checkOpen();
        return map(bucket) != null;
    }

    @Override
    public List<String> buckets() {
        checkOpen();
        return List.copyOf(names()); // the maps are sorted by name
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Throws when this transaction or its backend is closed. */
    void checkOpen() {
        if (closed) {
            throw new TransactionClosedException("memlog: transaction is closed");
        }
        backend.checkOpen();
    }

    NavigableMap<byte[], byte[]> existing(String bucket) {
        NavigableMap<byte[], byte[]> m = map(bucket);
        if (m == null) {
            throw new BucketNotFoundException("memlog: bucket \"" + bucket + "\" not found");
        }
        return m;
    }

    /** A read transaction: one published state, kept as long as the transaction is open. */
    static final class Read extends MemlogTx {
        private final State state;

        Read(MemlogBackend backend, State state) {
            super(backend);
            this.state = state;
        }

        @Override
        NavigableMap<byte[], byte[]> map(String bucket) {
            return state.buckets().get(bucket);
        }

        @Override
        Collection<String> names() {
            return state.buckets().keySet();
        }
    }
}
