package kv.backend.rocks;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A read transaction: a RocksDB snapshot, pinned until {@link #close()}, and read options that
 * name it. Owns both; releases the snapshot after its cursors' iterators are closed.
 */
final class RocksReadTx extends RocksTx {
    private final Snapshot snapshot;
    private final ReadOptions reads;

    RocksReadTx(RocksBackend backend) {
        super(backend);
        this.snapshot = backend.db().getSnapshot();
        this.reads = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    byte[] read(byte[] rawKey) throws RocksDBException {
        return backend.db().get(reads, rawKey);
    }

    @Override
    ReadOptions newReadOptions() {
        return new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    RocksIterator newIterator(ReadOptions options) {
        return backend.db().newIterator(options);
    }

    @Override
    void releaseOwn() {
        reads.close();
        backend.db().releaseSnapshot(snapshot);
    }
}
