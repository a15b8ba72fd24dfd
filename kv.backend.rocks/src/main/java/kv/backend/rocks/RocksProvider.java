package kv.backend.rocks;

import java.io.IOException;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.spi.BackendProvider;
import org.rocksdb.RocksDB;

/**
 * The {@code rocksdb} engine: kv's buckets in one RocksDB key space. Stateless; loads the native
 * library on the first {@link #open}.
 */
public final class RocksProvider implements BackendProvider {
    /** Creates the provider; does no work (the native library loads on first open). */
    public RocksProvider() {}

    @Override
    public String name() {
        return "rocksdb";
    }

    /** The version of the native RocksDB library; loads the library to ask it. */
    @Override
    public String version() {
        RocksDB.loadLibrary();
        return "rocksdbjni " + RocksDB.rocksdbVersion();
    }

    @Override
    public String description() {
        return "RocksDB LSM tree (rocksdbjni, native)";
    }

    @Override
    public Backend open(BackendConfig config) throws IOException {
        RocksTuning tuning = RocksTuning.from(config);
        RocksDB.loadLibrary();
        return RocksBackend.open(config, tuning);
    }
}
