package kv.backend.jbolt.internal;

import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.WriteTx;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltTx;

/** A {@link WriteTx} over the jbolt write transaction. Not thread-safe, like the transaction. */
final class SpiWriteTx extends SpiReadTx implements WriteTx {
    SpiWriteTx(JboltBackend backend, JboltTx tx) {
        super(backend, tx);
    }

    @Override
    public boolean createBucket(String bucket) {
        return backend.guard(() -> {
            boolean existed = tx.bucket(bucket) != null;
            tx.createBucket(bucket);
            return !existed;
        });
    }

    @Override
    public boolean deleteBucket(String bucket) {
        return backend.guard(() -> tx.deleteBucket(bucket));
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        backend.guardRun(() -> bucketOf(bucket).put(key, value));
    }

    @Override
    public boolean delete(String bucket, byte[] key) {
        return backend.guard(() -> bucketOf(bucket).delete(key));
    }

    @Override
    public long deleteRange(String bucket, byte[] from, byte[] to) {
        return backend.guard(() -> {
            JboltBucket b = bucketOf(bucket);
            long removed = 0;
            try (Cursor c = b.cursor()) {
                boolean ok = from == null || from.length == 0 ? c.first() : c.seek(from);
                while (ok) {
                    byte[] k = c.key();
                    if (to != null && Bytes.compare(k, to) >= 0) {
                        break;
                    }
                    b.delete(k);
                    removed++;
                    ok = c.next();
                }
            }
            return removed;
        });
    }

    @Override
    public void commit() {
        backend.guardRun(tx::commit);
    }

    @Override
    public void commit(Durability durability) {
        backend.guardRun(() -> tx.commit(durability));
    }
}
