package kv.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal in-memory backend for kv.backend's own tests (snapshot and hash): one writer at a time
 * by a monitor, committed state copied on commit. Not persistent, not for the contract kit.
 */
final class MemoryBackend implements Backend {
    private final String engine;
    private final Path dir;
    private volatile TreeMap<String, TreeMap<byte[], byte[]>> committed = new TreeMap<>();
    private boolean writing;
    int commits;

    MemoryBackend(String engine, Path dir) {
        this.engine = engine;
        this.dir = dir;
    }

    private static TreeMap<String, TreeMap<byte[], byte[]>> copy(TreeMap<String, TreeMap<byte[], byte[]>> s) {
        TreeMap<String, TreeMap<byte[], byte[]>> c = new TreeMap<>();
        s.forEach((k, v) -> c.put(k, new TreeMap<>(v)));
        return c;
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public ReadTx beginRead() {
        return new Tx(committed, false);
    }

    @Override
    public synchronized WriteTx beginWrite() {
        while (writing) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted");
            }
        }
        writing = true;
        return new Tx(copy(committed), true);
    }

    private synchronized void endWrite(TreeMap<String, TreeMap<byte[], byte[]>> state) {
        if (state != null) {
            committed = state;
            commits++;
        }
        writing = false;
        notifyAll();
    }

    @Override
    public void sync() {}

    @Override
    public long sizeOnDisk() {
        return 0;
    }

    @Override
    public long sizeInUse() {
        return 0;
    }

    @Override
    public void defragment() {}

    @Override
    public void close() {}

    private final class Tx implements WriteTx {
        private final TreeMap<String, TreeMap<byte[], byte[]>> state;
        private final boolean writer;
        private boolean done;

        Tx(TreeMap<String, TreeMap<byte[], byte[]>> state, boolean writer) {
            this.state = state;
            this.writer = writer;
        }

        private TreeMap<byte[], byte[]> bucket(String name) {
            TreeMap<byte[], byte[]> b = state.get(name);
            if (b == null) {
                throw new BucketNotFoundException(name);
            }
            return b;
        }

        @Override
        public byte[] get(String bucket, byte[] key) {
            byte[] v = bucket(bucket).get(key);
            return v == null ? null : v.clone();
        }

        @Override
        public Cursor cursor(String bucket) {
            TreeMap<byte[], byte[]> b = bucket(bucket);
            return new Cursor() {
                private Map.Entry<byte[], byte[]> at;

                private boolean land(Map.Entry<byte[], byte[]> e) {
                    at = e;
                    return e != null;
                }

                @Override public boolean first() { return land(b.firstEntry()); }
                @Override public boolean last() { return land(b.lastEntry()); }
                @Override public boolean seek(byte[] key) { return land(b.ceilingEntry(key)); }
                @Override public boolean next() { return land(at == null ? null : b.higherEntry(at.getKey())); }
                @Override public boolean prev() { return land(at == null ? null : b.lowerEntry(at.getKey())); }
                @Override public byte[] key() { return at.getKey().clone(); }
                @Override public byte[] value() { return at.getValue().clone(); }
                @Override public void close() {}
            };
        }

        @Override
        public boolean hasBucket(String bucket) {
            return state.containsKey(bucket);
        }

        @Override
        public List<String> buckets() {
            return new ArrayList<>(state.keySet());
        }

        @Override
        public boolean createBucket(String bucket) {
            return state.putIfAbsent(bucket, new TreeMap<>(Bytes.ORDER)) == null;
        }

        @Override
        public boolean deleteBucket(String bucket) {
            return state.remove(bucket) != null;
        }

        @Override
        public void put(String bucket, byte[] key, byte[] value) {
            bucket(bucket).put(key.clone(), value.clone());
        }

        @Override
        public boolean delete(String bucket, byte[] key) {
            return bucket(bucket).remove(key) != null;
        }

        @Override
        public long deleteRange(String bucket, byte[] from, byte[] to) {
            var range = to == null ? bucket(bucket).tailMap(from, true) : bucket(bucket).subMap(from, true, to, false);
            long n = range.size();
            range.clear();
            return n;
        }

        @Override
        public void commit() {
            commit(Durability.SYNC);
        }

        @Override
        public void commit(Durability durability) {
            done = true;
            endWrite(state);
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                if (writer) {
                    endWrite(null);
                }
            }
        }
    }
}
