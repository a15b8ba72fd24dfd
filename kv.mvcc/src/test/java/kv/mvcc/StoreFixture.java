package kv.mvcc;

import java.nio.file.Path;
import kv.backend.Backend;

/** A store over an in-memory backend in a test directory, with a manual clock; reopenable. */
final class StoreFixture implements AutoCloseable {
    final Path dir;
    final ManualClock clock = new ManualClock();
    final MvccConfig config;
    final Engines.Engine engine;
    Backend backend;
    MvccStore store;
    long index;

    StoreFixture(Path dir) {
        this(dir, MvccConfig.defaults(), Engines.MEMORY);
    }

    StoreFixture(Path dir, MvccConfig config, Engines.Engine engine) {
        this.dir = dir;
        this.config = config;
        this.engine = engine;
        backend = engine.open(dir);
        store = MvccStore.open(backend, config, clock);
    }

    long next() {
        return ++index;
    }

    /** Closes store and backend and opens both again over the same data. */
    MvccStore reopen() {
        store.close();
        backend.close();
        backend = engine.open(dir);
        store = MvccStore.open(backend, config, clock);
        return store;
    }

    @Override
    public void close() {
        store.close();
        backend.close();
        MemoryBackend.forget(dir);
    }
}
