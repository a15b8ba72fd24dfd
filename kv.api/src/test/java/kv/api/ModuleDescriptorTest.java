package kv.api;

import static kv.testkit.ModuleDescriptors.*;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the module's surface: a change to its exports, transitive requires, uses or provides must change this test too. */
class ModuleDescriptorTest {
    private final ModuleDescriptor d = underTest();

    @Test
    void surface() {
        assertExports(d, "kv.api", "kv.api.etcdserverpb", "kv.api.mvccpb", "kv.api.authpb", "kv.api.v3lockpb",
                "kv.api.v3electionpb");
        assertRequiresTransitive(d, "com.google.protobuf", "io.grpc", "io.grpc.stub", "io.grpc.protobuf");
        assertUses(d);
        assertProvides(d, Map.of());
        assertNoDependencyInjection(d);
    }
}
