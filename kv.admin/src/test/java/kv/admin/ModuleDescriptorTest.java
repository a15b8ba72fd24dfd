package kv.admin;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d, "kv.admin", "kv.admin.cluster", "kv.admin.clusterpb", "kv.admin.restore");
        assertRequiresTransitive(d, "kv.backend", "com.google.protobuf");
        assertUses(d);
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }
}
