package kv.backend.lmdb;

import java.nio.file.Path;
import kv.backend.BackendConfig;
import kv.backend.spi.BackendProvider;
import kv.backend.tck.WriteTxModelContract;

/**
 * The kit's write-transaction model test on LMDB: long keys fold into 511-byte groups, and a 64 KiB
 * initial map makes commits grow it along the way.
 */
class RandomizedModelTest extends WriteTxModelContract {
    @Override
    protected BackendProvider provider() {
        return new LmdbProvider();
    }

    @Override
    protected BackendConfig config(Path dir) {
        return BackendConfig.of(dir).withOption("lmdb.map-size", "65536");
    }
}
