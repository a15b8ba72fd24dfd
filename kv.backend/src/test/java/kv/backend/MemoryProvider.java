package kv.backend;

import kv.backend.spi.BackendProvider;

/** A test provider found through META-INF/services on the test class path: opens a {@link MemoryBackend}. */
public class MemoryProvider implements BackendProvider {
    @Override
    public String name() {
        return "test-mem";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Backend open(BackendConfig config) {
        return new MemoryBackend(name(), config.directory());
    }
}
