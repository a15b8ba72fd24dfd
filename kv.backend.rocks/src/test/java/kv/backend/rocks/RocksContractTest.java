package kv.backend.rocks;

import kv.backend.spi.BackendProvider;
import kv.backend.tck.BackendContract;

/** The backend contract kit run against the {@code rocksdb} engine. */
class RocksContractTest extends BackendContract {
    @Override
    protected BackendProvider provider() {
        return new RocksProvider();
    }
}
