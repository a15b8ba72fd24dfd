package kv.cli.output;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;

/**
 * Writes a protobuf message as Go's {@code encoding/json} writes the gogo-generated struct etcdctl
 * prints: keys are the proto field names, every field is {@code omitempty}, 64-bit integers are
 * numbers (unsigned where the proto type is), bytes are base64, enums are numbers, and a oneof is
 * an object keyed by the Go name of its interface and of its wrapper field
 * ({@code "Response":{"ResponsePut":{...}}}). Stateless.
 */
public final class GoJson {
    private GoJson() {}

    /** The JSON text of {@code m}. */
    public static String of(MessageOrBuilder m) {
        StringBuilder sb = new StringBuilder(256);
        message(sb, m);
        return sb.toString();
    }

    /** Appends {@code m} as a JSON object. */
    public static void message(StringBuilder sb, MessageOrBuilder m) {
        sb.append('{');
        fields(sb, m, true);
        sb.append('}');
    }

    /**
     * Appends the members of {@code m} without braces, as Go does for an embedded struct; returns
     * whether nothing was written (so the caller knows if the next member needs a comma).
     */
    public static boolean fields(StringBuilder sb, MessageOrBuilder m, boolean first) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null) {
                if (oneof.getField(0) != f) {
                    continue;
                }
                first = comma(sb, first);
                GoText.jsonString(sb, goName(oneof.getName()));
                sb.append(':');
                FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
                if (set == null) {
                    sb.append("null");
                } else {
                    sb.append('{');
                    GoText.jsonString(sb, goName(set.getName()));
                    sb.append(':');
                    value(sb, set, m.getField(set));
                    sb.append('}');
                }
                continue;
            }
            if (isEmpty(m, f)) {
                continue;
            }
            first = comma(sb, first);
            GoText.jsonString(sb, f.getName());
            sb.append(':');
            if (f.isRepeated()) {
                sb.append('[');
                List<?> items = (List<?>) m.getField(f);
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(sb, f, items.get(i));
                }
                sb.append(']');
            } else {
                value(sb, f, m.getField(f));
            }
        }
        return first;
    }

    private static boolean comma(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append(',');
        }
        return false;
    }

    private static boolean isEmpty(MessageOrBuilder m, FieldDescriptor f) {
        if (f.isRepeated()) {
            return m.getRepeatedFieldCount(f) == 0;
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return !m.hasField(f);
        }
        Object v = m.getField(f);
        return switch (f.getJavaType()) {
            case INT, LONG -> ((Number) v).longValue() == 0;
            case FLOAT, DOUBLE -> ((Number) v).doubleValue() == 0;
            case BOOLEAN -> !(Boolean) v;
            case STRING -> ((String) v).isEmpty();
            case BYTE_STRING -> ((ByteString) v).isEmpty();
            case ENUM -> ((EnumValueDescriptor) v).getNumber() == 0;
            case MESSAGE -> false;
        };
    }

    private static void value(StringBuilder sb, FieldDescriptor f, Object v) {
        switch (f.getType()) {
            case UINT64, FIXED64 -> sb.append(Long.toUnsignedString((Long) v));
            case UINT32, FIXED32 -> sb.append(Integer.toUnsignedString((Integer) v));
            case INT64, SINT64, SFIXED64, INT32, SINT32, SFIXED32, FLOAT, DOUBLE -> sb.append(v);
            case BOOL -> sb.append(v);
            case STRING -> GoText.jsonString(sb, (String) v);
            case BYTES -> GoText.jsonBytes(sb, ((ByteString) v).toByteArray());
            case ENUM -> sb.append(((EnumValueDescriptor) v).getNumber());
            case MESSAGE, GROUP -> message(sb, (MessageOrBuilder) v);
        }
    }

    /** protoc-gen-go's CamelCase of a proto name: {@code response_put} -> {@code ResponsePut}. */
    static String goName(String protoName) {
        StringBuilder sb = new StringBuilder(protoName.length());
        boolean upper = true;
        for (char c : protoName.toCharArray()) {
            if (c == '_') {
                upper = true;
                continue;
            }
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return sb.toString();
    }
}
