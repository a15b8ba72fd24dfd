package kv.backend.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;

/** A read transaction of {@link LogBackend}: a reference to one committed state. */
class LogReadTx implements ReadTx {
    final LogBackend backend;
    TreeMap<String, TreeMap<byte[], byte[]>> state;
    boolean closed;

    LogReadTx(LogBackend backend, TreeMap<String, TreeMap<byte[], byte[]>> state) {
        this.backend = backend;
        this.state = state;
    }

    void ensureUsable() {
        if (closed) {
            throw new TransactionClosedException("tck-log: transaction is closed");
        }
        backend.ensureOpen();
    }

    @Override
    public byte[] get(String bucket, byte[] key) {
        ensureUsable();
        TreeMap<byte[], byte[]> b = state.get(bucket);
        byte[] v = b == null ? null : b.get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public Cursor cursor(String bucket) {
        ensureUsable();
        TreeMap<byte[], byte[]> b = state.get(bucket);
        if (b == null) {
            throw new BucketNotFoundException("tck-log: bucket " + bucket + " not found");
        }
        return new MapCursor(this, b);
    }

    @Override
    public boolean hasBucket(String bucket) {
        ensureUsable();
        return state.containsKey(bucket);
    }

    @Override
    public List<String> buckets() {
        ensureUsable();
        return new ArrayList<>(state.keySet());
    }

    @Override
    public void close() {
        closed = true;
    }

    /** A cursor that finds its next position by key, so writes between moves do not confuse it. */
    static final class MapCursor implements Cursor {
        private final LogReadTx tx;
        private final TreeMap<byte[], byte[]> map;
        private Map.Entry<byte[], byte[]> at;

        MapCursor(LogReadTx tx, TreeMap<byte[], byte[]> map) {
            this.tx = tx;
            this.map = map;
        }

        private boolean land(Map.Entry<byte[], byte[]> e) {
            tx.ensureUsable();
            at = e;
            return e != null;
        }

        @Override
        public boolean first() {
            return land(map.firstEntry());
        }

        @Override
        public boolean last() {
            return land(map.lastEntry());
        }

        @Override
        public boolean seek(byte[] key) {
            return land(map.ceilingEntry(key));
        }

        @Override
        public boolean next() {
            return land(at == null ? null : map.higherEntry(at.getKey()));
        }

        @Override
        public boolean prev() {
            return land(at == null ? null : map.lowerEntry(at.getKey()));
        }

        private Map.Entry<byte[], byte[]> at() {
            tx.ensureUsable();
            if (at == null) {
                throw new IllegalStateException("tck-log: cursor is not positioned");
            }
            return at;
        }

        @Override
        public byte[] key() {
            return at().getKey().clone();
        }

        @Override
        public byte[] value() {
            return at().getValue().clone();
        }

        @Override
        public void close() {}
    }
}
