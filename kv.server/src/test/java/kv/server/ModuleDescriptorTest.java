package kv.server;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d);
        assertRequiresTransitive(d);
        assertUses(d);
        assertProvides(d, Map.of());
        // kv.server finds engines through kv.backend's locator, never by requiring one
        assertTrue(d.requires().stream().noneMatch(r -> r.name().startsWith("kv.backend.")), "kv.server requires an engine");
    }
}
