package kv.backend.rocks;

import kv.backend.spi.BackendProvider;
import kv.backend.tck.WriteTxModelContract;

/** The kit's write-transaction model test on RocksDB (pending writes merged through a WriteBatchWithIndex). */
class RandomizedModelTest extends WriteTxModelContract {
    @Override
    protected BackendProvider provider() {
        return new RocksProvider();
    }
}
