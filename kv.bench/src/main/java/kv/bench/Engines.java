package kv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Durability;

/** Opens a built-in engine by its provider name ("jbolt", "rocksdb", "lmdb"). */
final class Engines {
    static final String BUCKET = "bench";

    private Engines() {}

    static Backend open(String engine, Path dir, Durability durability) {
        try {
            return BackendLocator.builtIn().find(engine).open(BackendConfig.of(dir).withDurability(durability));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + engine + " in " + dir, e);
        }
    }

    /** Opens the engine and creates {@link #BUCKET}. */
    static Backend openWithBucket(String engine, Path dir, Durability durability) {
        Backend b = open(engine, dir, durability);
        var tx = b.beginWrite();
        tx.createBucket(BUCKET);
        tx.commit(Durability.SYNC);
        return b;
    }
}
