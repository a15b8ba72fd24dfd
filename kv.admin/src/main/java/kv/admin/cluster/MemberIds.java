package kv.admin.cluster;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids, derived as etcd derives them so that the same flags give the same ids on
 * every member without talking: a member's id from its sorted peer URLs and the cluster token, the
 * cluster's id from its sorted member ids. Ids are unsigned 64-bit, printed in hex.
 */
public final class MemberIds {
    private MemberIds() {}

    public static long memberId(List<URI> peerUrls, String clusterToken) {
        StringBuilder sb = new StringBuilder();
        peerUrls.stream().map(URI::toString).sorted().forEach(sb::append);
        sb.append(clusterToken);
        return first8(sha1(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public static long clusterId(Collection<Long> memberIds) {
        ByteBuffer b = ByteBuffer.allocate(8 * memberIds.size());
        memberIds.stream().sorted(Long::compareUnsigned).forEach(b::putLong);
        return first8(sha1(b.array()));
    }

    public static String hex(long id) {
        return Long.toHexString(id);
    }

    private static byte[] sha1(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    private static long first8(byte[] h) {
        return ByteBuffer.wrap(h, 0, 8).getLong();
    }
}
