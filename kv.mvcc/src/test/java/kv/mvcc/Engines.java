package kv.mvcc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import org.junit.jupiter.api.Named;

/**
 * The backends the store's tests run on: the in-memory test backend plus every engine provider on
 * the test class path (found through {@link BackendLocator}). {@code -Dkv.mvcc.engines=memory}
 * restricts the run to the in-memory one; {@code =jbolt,rocksdb} to those named.
 */
final class Engines {
    private Engines() {}

    /** Opens (or reopens) a backend in a directory. */
    @FunctionalInterface
    interface Engine {
        Backend open(Path dir);
    }

    static final Engine MEMORY = MemoryBackend::open;

    /** Every engine to test, named for the test report. */
    static Stream<Named<Engine>> all() {
        String only = System.getProperty("kv.mvcc.engines", "");
        List<Named<Engine>> out = new ArrayList<>();
        if (only.isEmpty() || List.of(only.split(",")).contains("memory")) {
            out.add(Named.of("memory", MEMORY));
        }
        for (BackendLocator.Located l : BackendLocator.builtIn().all()) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(l.name())) {
                continue;
            }
            out.add(Named.of(l.name(), dir -> {
                try {
                    return l.provider().open(BackendConfig.of(dir).withDurability(Durability.NO_SYNC));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        return out.stream();
    }
}
