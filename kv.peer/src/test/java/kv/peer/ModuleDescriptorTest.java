package kv.peer;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d, "kv.peer");
        assertRequiresTransitive(d, "kv.raft");
        assertRequires(d, "kv.raft", "com.google.protobuf", "com.google.common", "io.grpc", "io.grpc.stub",
                "io.grpc.protobuf", "io.grpc.netty.shaded");
        assertUses(d);
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }
}
