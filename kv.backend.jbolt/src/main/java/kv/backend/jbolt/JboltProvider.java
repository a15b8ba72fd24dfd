package kv.backend.jbolt;

import java.io.IOException;
import java.nio.file.Files;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.jbolt.internal.JboltBackend;
import kv.backend.spi.BackendProvider;

/**
 * The {@link BackendProvider} named {@code jbolt}: a backend in one file {@code <dir>/jbolt.db}, with
 * option {@code jbolt.page-size} (bytes, power of two, 1024 to 65536; default 4096; applies to new
 * files). Stateless and thread-safe.
 */
public final class JboltProvider implements BackendProvider {
    /** The data file's name inside the backend directory. */
    public static final String FILE_NAME = "jbolt.db";

    public JboltProvider() {}

    @Override
    public String name() {
        return "jbolt";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String description() {
        return "jbolt: kv's copy-on-write B+tree in one memory-mapped file";
    }

    @Override
    public Backend open(BackendConfig config) throws IOException {
        JboltOptions options = JboltOptions.from(config);
        Files.createDirectories(config.directory());
        JboltDb db = JboltDb.open(config.directory().resolve(FILE_NAME), options);
        return new JboltBackend(name(), config.directory(), db);
    }
}
