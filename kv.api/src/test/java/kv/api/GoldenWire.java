package kv.api;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.api.authpb.AuthProto;
import kv.api.etcdserverpb.RpcProto;
import kv.api.mvccpb.KvProto;
import kv.api.v3electionpb.V3ElectionProto;
import kv.api.v3lockpb.V3LockProto;

/** The golden description derived from etcd, and kv's generated files it is checked against. */
final class GoldenWire {
    static final String RESOURCE = "/etcd-3.5-wire.golden";

    private GoldenWire() {}

    /** Every file kv.api generates: the golden covers exactly these. */
    static List<FileDescriptor> generatedFiles() {
        return List.of(KvProto.getDescriptor(), AuthProto.getDescriptor(), RpcProto.getDescriptor(),
                V3LockProto.getDescriptor(), V3ElectionProto.getDescriptor());
    }

    static List<String> goldenLines() {
        try (InputStream in = GoldenWire.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> generatedLines() {
        return WireDescription.of(generatedFiles());
    }
}
