package kv.backend.lmdb;

import java.io.IOException;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.spi.BackendProvider;

/**
 * The {@code lmdb} engine: kv's buckets as LMDB named databases (lmdbjava, with the LMDB library
 * from the {@code org.lmdbjava:native} jar, which must be on the class path). Stateless.
 */
public final class LmdbProvider implements BackendProvider {
    /** Creates the provider; does no work. */
    public LmdbProvider() {}

    @Override
    public String name() {
        return "lmdb";
    }

    @Override
    public String version() {
        String v = org.lmdbjava.Env.class.getPackage().getImplementationVersion();
        return "lmdbjava " + (v == null ? "(unknown)" : v);
    }

    @Override
    public String description() {
        return "LMDB memory-mapped B+tree (lmdbjava, native)";
    }

    @Override
    public Backend open(BackendConfig config) throws IOException {
        return LmdbBackend.open(config, LmdbTuning.from(config));
    }
}
