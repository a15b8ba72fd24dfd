package kv.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Describes the wire shape of compiled protobuf files, one fact per line, in the format that
 * {@code src/test/golden/etcd_wire_golden.py} writes from etcd's own .proto files: services and
 * methods (types, streaming flags), messages and fields (number, label, type, oneof), enums and
 * values. Names that do not reach the wire (Java packages, file names, comments) are left out.
 * Stateless.
 */
final class WireDescription {
    private WireDescription() {}

    /** The sorted description of {@code files} (not of their imports). */
    static List<String> of(List<FileDescriptor> files) {
        List<String> lines = new ArrayList<>();
        for (FileDescriptor file : files) {
            file.getServices().forEach(s -> service(s, lines));
            file.getEnumTypes().forEach(e -> enumType(e, lines));
            file.getMessageTypes().forEach(m -> message(m, lines));
        }
        lines.sort(null);
        return List.copyOf(lines);
    }

    private static void service(ServiceDescriptor s, List<String> lines) {
        lines.add("service " + s.getFullName());
        for (MethodDescriptor m : s.getMethods()) {
            lines.add("method %s/%s in=%s out=%s client_streaming=%s server_streaming=%s".formatted(
                    s.getFullName(), m.getName(), m.getInputType().getFullName(), m.getOutputType().getFullName(),
                    m.isClientStreaming(), m.isServerStreaming()));
        }
    }

    private static void enumType(EnumDescriptor e, List<String> lines) {
        lines.add("enum " + e.getFullName());
        for (EnumValueDescriptor v : e.getValues()) {
            lines.add("value %s.%s number=%d".formatted(e.getFullName(), v.getName(), v.getNumber()));
        }
    }

    private static void message(Descriptor m, List<String> lines) {
        lines.add("message " + m.getFullName());
        m.getFields().forEach(f -> lines.add(field(f)));
        m.getEnumTypes().forEach(e -> enumType(e, lines));
        m.getNestedTypes().forEach(n -> message(n, lines));
    }

    static String field(FieldDescriptor f) {
        String line = "field %s number=%d label=%s type=%s".formatted(
                f.getFullName(), f.getNumber(), f.isRepeated() ? "repeated" : "optional", type(f));
        // A proto3 `optional` would be a synthetic oneof; etcd has none, and a real oneof is what matters.
        OneofDescriptor oneof = f.getRealContainingOneof();
        return oneof == null ? line : line + " oneof=" + oneof.getName();
    }

    private static String type(FieldDescriptor f) {
        return switch (f.getType()) {
            case MESSAGE -> "message:" + f.getMessageType().getFullName();
            case ENUM -> "enum:" + f.getEnumType().getFullName();
            case GROUP -> throw new IllegalArgumentException("groups are not proto3: " + f.getFullName());
            default -> f.getType().name().toLowerCase(Locale.ROOT);
        };
    }
}
