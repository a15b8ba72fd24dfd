package kv.backend.rocks;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d);
        assertRequiresTransitive(d);
        assertUses(d);
        assertRequires(d, "kv.backend", "rocksdbjni");
        assertProvides(d, Map.of("kv.backend.spi.BackendProvider", List.of("kv.backend.rocks.RocksProvider")));
        assertNoDependencyInjection(d);
    }
}
