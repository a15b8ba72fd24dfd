package kv.backend.lmdb;

import java.util.List;

/** A read transaction: an LMDB read-only transaction, which sees the state committed when it began. */
final class LmdbReadTx extends LmdbTx {
    LmdbReadTx(LmdbBackend backend, LmdbStore store) {
        super(backend, store);
    }

    @Override
    byte[] read(String bucket, byte[] key) {
        return baseTable(bucket).get(key);
    }

    @Override
    Walk walk(String bucket) {
        return baseTable(bucket).walker();
    }

    @Override
    boolean exists(String bucket) {
        return inBase(bucket);
    }

    @Override
    List<String> names() {
        return store().names(txn);
    }

    @Override
    void releaseOwn() {}
}
