package kv.lincheck;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d, "kv.lincheck");
        assertRequires(d);
        assertRequiresTransitive(d);
        assertUses(d);
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }
}
