package kv.peer.internal;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.OptionalLong;

/**
 * The gRPC metadata every peer call carries: sender member id, addressed member id and cluster
 * id, as unsigned hex (how etcd prints ids). Stateless.
 */
public final class PeerHeaders {
    static final Metadata.Key<String> FROM = Metadata.Key.of("kv-peer-from", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TO = Metadata.Key.of("kv-peer-to", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CLUSTER = Metadata.Key.of("kv-cluster-id", Metadata.ASCII_STRING_MARSHALLER);

    private PeerHeaders() {}

    /** Attaches sender, cluster and (when non-zero) addressee to every call of a stub. */
    public static ClientInterceptor attach(long from, long to, long clusterId) {
        Metadata h = new Metadata();
        h.put(FROM, hex(from));
        h.put(CLUSTER, hex(clusterId));
        if (to != 0) {
            h.put(TO, hex(to));
        }
        return MetadataUtils.newAttachHeadersInterceptor(h);
    }

    /** An id as etcd prints it. */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    /** The id in header {@code key}, empty when absent or not hex. */
    static OptionalLong id(Metadata headers, Metadata.Key<String> key) {
        String v = headers.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(v, 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
