package kv.cli;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d);
        assertRequiresTransitive(d);
        assertRequires(d, "kv.api", "info.picocli", "io.grpc.netty.shaded", "kv.admin", "kv.wal", "kv.backend", "kv.backend.jbolt");
        assertUses(d);
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }

    @Test
    void onlyTheCommandPackageIsOpenAndOnlyToPicocli() {
        Set<String> opens = d.opens().stream().map(o -> o.source() + " to " + o.targets()).collect(Collectors.toSet());
        Assertions.assertEquals(Set.of("kv.cli to [info.picocli]"), opens);
    }
}
