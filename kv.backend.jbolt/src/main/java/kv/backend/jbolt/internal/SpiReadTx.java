package kv.backend.jbolt.internal;

import java.util.List;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltTx;

/** A {@link ReadTx} over a jbolt transaction. Not thread-safe, like the transaction. */
class SpiReadTx implements ReadTx {
    final JboltBackend backend;
    final JboltTx tx;

    SpiReadTx(JboltBackend backend, JboltTx tx) {
        this.backend = backend;
        this.tx = tx;
    }

    JboltBucket bucketOf(String name) {
        JboltBucket b = tx.bucket(name);
        if (b == null) {
            throw new BucketNotFoundException("jbolt: bucket \"" + name + "\" not found");
        }
        return b;
    }

    @Override
    public byte[] get(String bucket, byte[] key) {
        return backend.guard(() -> bucketOf(bucket).get(key));
    }

    @Override
    public Cursor cursor(String bucket) {
        Cursor c = backend.guard(() -> bucketOf(bucket).cursor());
        return new GuardedCursor(backend, c);
    }

    @Override
    public boolean hasBucket(String bucket) {
        return backend.guard(() -> tx.bucket(bucket) != null);
    }

    @Override
    public List<String> buckets() {
        return backend.guard(tx::bucketNames);
    }

    @Override
    public void close() {
        tx.close();
    }

    /** A cursor whose reads racing a backend close fail as closed. */
    private record GuardedCursor(JboltBackend backend, Cursor c) implements Cursor {
        @Override
        public boolean first() {
            return backend.guard(c::first);
        }

        @Override
        public boolean last() {
            return backend.guard(c::last);
        }

        @Override
        public boolean seek(byte[] key) {
            return backend.guard(() -> c.seek(key));
        }

        @Override
        public boolean next() {
            return backend.guard(c::next);
        }

        @Override
        public boolean prev() {
            return backend.guard(c::prev);
        }

        @Override
        public byte[] key() {
            return backend.guard(c::key);
        }

        @Override
        public byte[] value() {
            return backend.guard(c::value);
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
