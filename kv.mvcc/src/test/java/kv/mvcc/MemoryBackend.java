package kv.mvcc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BucketNotFoundException;
import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import kv.backend.WriteTx;

/**
 * A test-only in-memory {@link Backend}: multi-version skip lists (each key keeps a chain of
 * versions, readers see the versions committed before they began), one writer with a private
 * overlay. The state of a directory outlives the Backend object (a static registry), so a store
 * can be "reopened" over the same data; {@link #forget} drops it.
 */
final class MemoryBackend implements Backend {
    private static final Map<Path, State> STATES = new ConcurrentHashMap<>();
    private static final byte[] DELETED = new byte[0];

    private final Path dir;
    private final State state;
    private volatile boolean closed;

    private MemoryBackend(Path dir, State state) {
        this.dir = dir;
        this.state = state;
    }

    /** Opens (creating if absent) the in-memory store named by {@code dir}. */
    static MemoryBackend open(Path dir) {
        return new MemoryBackend(dir, STATES.computeIfAbsent(dir.toAbsolutePath(), d -> new State()));
    }

    static void forget(Path dir) {
        STATES.remove(dir.toAbsolutePath());
    }

    /** A version chain node: value (DELETED for a deletion) committed at version. */
    private record Node(long version, byte[] value, Node older) {}

    private static final class State {
        final ReentrantLock writer = new ReentrantLock();
        final Map<String, ConcurrentSkipListMap<byte[], Node>> data = new ConcurrentHashMap<>();
        final Map<String, Node> buckets = new ConcurrentHashMap<>(); // value non-DELETED = exists
        volatile long version;
    }

    private static byte[] visible(Node n, long at) {
        for (; n != null; n = n.older) {
            if (n.version <= at) {
                return n.value == DELETED ? null : n.value;
            }
        }
        return null;
    }

    @Override
    public String engine() {
        return "memory";
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public ReadTx beginRead() {
        check();
        return new Read(state.version);
    }

    @Override
    public WriteTx beginWrite() {
        check();
        state.writer.lock();
        return new Write(state.version);
    }

    @Override
    public void sync() {
        check();
    }

    @Override
    public long sizeOnDisk() {
        return 0;
    }

    @Override
    public long sizeInUse() {
        return 0;
    }

    @Override
    public void defragment() {
        check();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check() {
        if (closed) {
            throw new BackendClosedException("memory backend " + dir + " is closed");
        }
    }

    private class Read implements ReadTx {
        final long at;
        boolean done;

        Read(long at) {
            this.at = at;
        }

        void open() {
            check();
            if (done) {
                throw new TransactionClosedException("transaction closed");
            }
        }

        boolean baseHasBucket(String b) {
            return visible(state.buckets.get(b), at) != null;
        }

        byte[] baseGet(String b, byte[] k) {
            var m = state.data.get(b);
            return m == null ? null : visible(m.get(k), at);
        }

        /** The smallest (or largest, when !up) visible base key after/before k. */
        byte[] baseStep(String b, byte[] k, boolean inclusive, boolean up) {
            var m = state.data.get(b);
            if (m == null) {
                return null;
            }
            var e = k == null ? (up ? m.firstEntry() : m.lastEntry())
                    : up ? (inclusive ? m.ceilingEntry(k) : m.higherEntry(k)) : (inclusive ? m.floorEntry(k) : m.lowerEntry(k));
            while (e != null && visible(e.getValue(), at) == null) {
                e = up ? m.higherEntry(e.getKey()) : m.lowerEntry(e.getKey());
            }
            return e == null ? null : e.getKey();
        }

        @Override
        public byte[] get(String bucket, byte[] key) {
            open();
            requireBucket(bucket);
            byte[] v = baseGet(bucket, key);
            return v == null ? null : v.clone();
        }

        void requireBucket(String bucket) {
            if (!hasBucket(bucket)) {
                throw new BucketNotFoundException("no bucket " + bucket);
            }
        }

        @Override
        public Cursor cursor(String bucket) {
            open();
            requireBucket(bucket);
            return new MemCursor(this, bucket);
        }

        byte[] step(String b, byte[] k, boolean inclusive, boolean up) {
            return baseStep(b, k, inclusive, up);
        }

        @Override
        public boolean hasBucket(String bucket) {
            open();
            return baseHasBucket(bucket);
        }

        @Override
        public List<String> buckets() {
            open();
            List<String> out = new ArrayList<>();
            for (String b : state.buckets.keySet()) {
                if (hasBucket(b)) {
                    out.add(b);
                }
            }
            out.sort(null);
            return out;
        }

        @Override
        public void close() {
            done = true;
        }
    }

    private final class Write extends Read implements WriteTx {
        final Map<String, TreeMap<byte[], byte[]>> overlay = new TreeMap<>();
        final Map<String, Boolean> bucketChanges = new TreeMap<>();

        Write(long at) {
            super(at);
        }

        @Override
        public boolean hasBucket(String bucket) {
            open();
            Boolean c = bucketChanges.get(bucket);
            return c != null ? c : baseHasBucket(bucket);
        }

        @Override
        public byte[] get(String bucket, byte[] key) {
            open();
            requireBucket(bucket);
            TreeMap<byte[], byte[]> o = overlay.get(bucket);
            if (o != null && o.containsKey(key)) {
                byte[] v = o.get(key);
                return v == DELETED ? null : v.clone();
            }
            if (Boolean.TRUE.equals(bucketChanges.get(bucket)) && !baseHasBucket(bucket)) {
                return null;
            }
            byte[] v = baseGet(bucket, key);
            return v == null ? null : v.clone();
        }

        @Override
        byte[] step(String b, byte[] k, boolean inclusive, boolean up) {
            byte[] from = k;
            boolean inc = inclusive;
            while (true) {
                byte[] base = baseStep(b, from, inc, up);
                TreeMap<byte[], byte[]> o = overlay.get(b);
                byte[] ov = null;
                if (o != null) {
                    ov = from == null ? (o.isEmpty() ? null : up ? o.firstKey() : o.lastKey())
                            : up ? (inc ? o.ceilingKey(from) : o.higherKey(from)) : (inc ? o.floorKey(from) : o.lowerKey(from));
                }
                byte[] pick = base == null ? ov : ov == null ? base
                        : (up ? Bytes.compare(base, ov) <= 0 : Bytes.compare(base, ov) >= 0) ? base : ov;
                if (pick == null) {
                    return null;
                }
                if (o != null && o.get(pick) == DELETED) {
                    from = pick;
                    inc = false;
                    continue;
                }
                return pick;
            }
        }

        private TreeMap<byte[], byte[]> overlay(String bucket) {
            requireBucket(bucket);
            return overlay.computeIfAbsent(bucket, b -> new TreeMap<>(Bytes.ORDER));
        }

        @Override
        public boolean createBucket(String bucket) {
            open();
            if (hasBucket(bucket)) {
                return false;
            }
            bucketChanges.put(bucket, true);
            return true;
        }

        @Override
        public boolean deleteBucket(String bucket) {
            open();
            if (!hasBucket(bucket)) {
                return false;
            }
            deleteRange(bucket, null, null);
            bucketChanges.put(bucket, false);
            return true;
        }

        @Override
        public void put(String bucket, byte[] key, byte[] value) {
            open();
            if (key.length == 0) {
                throw new IllegalArgumentException("empty key");
            }
            overlay(bucket).put(key.clone(), value.clone());
        }

        @Override
        public boolean delete(String bucket, byte[] key) {
            open();
            boolean had = get(bucket, key) != null;
            overlay(bucket).put(key.clone(), DELETED);
            return had;
        }

        @Override
        public long deleteRange(String bucket, byte[] from, byte[] to) {
            open();
            List<byte[]> keys = new ArrayList<>();
            scan(bucket, from, to, (k, v) -> keys.add(k));
            for (byte[] k : keys) {
                overlay(bucket).put(k, DELETED);
            }
            return keys.size();
        }

        @Override
        public void commit() {
            commit(Durability.SYNC);
        }

        @Override
        public void commit(Durability durability) {
            open();
            long v = state.version + 1;
            bucketChanges.forEach((b, exists) -> {
                state.buckets.put(b, new Node(v, exists ? new byte[] {1} : DELETED, state.buckets.get(b)));
                state.data.computeIfAbsent(b, x -> new ConcurrentSkipListMap<>(Bytes.ORDER));
            });
            overlay.forEach((b, o) -> {
                var m = state.data.computeIfAbsent(b, x -> new ConcurrentSkipListMap<>(Bytes.ORDER));
                o.forEach((k, val) -> m.compute(k, (kk, old) -> new Node(v, val, old)));
            });
            state.version = v;
            close();
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                state.writer.unlock();
            }
        }
    }

    private static final class MemCursor implements Cursor {
        private final Read tx;
        private final String bucket;
        private byte[] at;

        MemCursor(Read tx, String bucket) {
            this.tx = tx;
            this.bucket = bucket;
        }

        private boolean move(byte[] k) {
            at = k;
            return k != null;
        }

        @Override
        public boolean first() {
            return move(tx.step(bucket, null, true, true));
        }

        @Override
        public boolean last() {
            return move(tx.step(bucket, null, true, false));
        }

        @Override
        public boolean seek(byte[] key) {
            return move(tx.step(bucket, key, true, true));
        }

        @Override
        public boolean next() {
            return at != null && move(tx.step(bucket, at, false, true));
        }

        @Override
        public boolean prev() {
            return at != null && move(tx.step(bucket, at, false, false));
        }

        @Override
        public byte[] key() {
            if (at == null) {
                throw new IllegalStateException("cursor not positioned");
            }
            return at.clone();
        }

        @Override
        public byte[] value() {
            if (at == null) {
                throw new IllegalStateException("cursor not positioned");
            }
            return tx.get(bucket, at);
        }

        @Override
        public void close() {}
    }
}
