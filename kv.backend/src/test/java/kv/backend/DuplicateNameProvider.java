package kv.backend;

import kv.backend.spi.BackendProvider;

/**
 * A second provider named like {@link MemoryProvider}. Not declared in the test class path's
 * META-INF/services: {@link BackendLocatorTest} declares it from a directory of its own.
 */
public class DuplicateNameProvider implements BackendProvider {
    @Override
    public String name() {
        return "test-mem";
    }

    @Override
    public String version() {
        return "2";
    }

    @Override
    public Backend open(BackendConfig config) {
        throw new UnsupportedOperationException("never opened: it exists to collide");
    }
}
