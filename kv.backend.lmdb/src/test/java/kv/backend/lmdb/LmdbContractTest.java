package kv.backend.lmdb;

import kv.backend.spi.BackendProvider;
import kv.backend.tck.BackendContract;

/** The backend contract kit run against the {@code lmdb} engine. */
class LmdbContractTest extends BackendContract {
    @Override
    protected BackendProvider provider() {
        return new LmdbProvider();
    }
}
