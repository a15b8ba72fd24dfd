package kv.backend;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d, "kv.backend", "kv.backend.spi", "kv.backend.support");
        assertRequires(d);
        assertRequiresTransitive(d);
        assertUses(d, "kv.backend.spi.BackendProvider");
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }
}
