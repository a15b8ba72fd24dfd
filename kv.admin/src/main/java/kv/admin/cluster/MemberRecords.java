package kv.admin.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kv.admin.clusterpb.Member;
import kv.backend.BackendCorruptedException;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The member list in the backend, as etcd keeps it in its {@code members} and
 * {@code members_removed} buckets: one record per member keyed by its id (8 bytes, big-endian), and
 * the ids of removed members, which may never join again. Written only by the apply path of raft
 * conf changes (and by snapshot restore, offline), so every member holds the same list at the same
 * index. Stateless; the transactions belong to the caller.
 */
public final class MemberRecords {
    /** Bucket of the current members. */
    public static final String MEMBERS = "members";
    /** Bucket of the ids of removed members. */
    public static final String REMOVED = "members_removed";

    private MemberRecords() {}

    /** Creates both buckets if missing. */
    public static void ensureBuckets(WriteTx tx) {
        tx.createBucket(MEMBERS);
        tx.createBucket(REMOVED);
    }

    /** The current members, by id. */
    public static List<Member> list(ReadTx tx) {
        List<Member> out = new ArrayList<>();
        if (!tx.hasBucket(MEMBERS)) {
            return out;
        }
        tx.scan(MEMBERS, null, null, (k, v) -> {
            out.add(decode(k, v));
            return true;
        });
        return out;
    }

    /** The ids of members removed from the cluster. */
    public static Set<Long> removed(ReadTx tx) {
        Set<Long> out = new HashSet<>();
        if (tx.hasBucket(REMOVED)) {
            tx.scan(REMOVED, null, null, (k, v) -> out.add(ByteBuffer.wrap(k).getLong()));
        }
        return out;
    }

    /** Adds or replaces {@code m}. */
    public static void put(WriteTx tx, Member m) {
        ensureBuckets(tx);
        tx.put(MEMBERS, key(m.getId()), m.toByteArray());
    }

    /** Removes member {@code id} and remembers it as removed. */
    public static void remove(WriteTx tx, long id) {
        ensureBuckets(tx);
        tx.delete(MEMBERS, key(id));
        tx.put(REMOVED, key(id), new byte[0]);
    }

    /** Forgets every member and every removal (a restored snapshot starts a new cluster). */
    public static void clear(WriteTx tx) {
        tx.deleteBucket(MEMBERS);
        tx.deleteBucket(REMOVED);
        ensureBuckets(tx);
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    private static Member decode(byte[] k, byte[] v) {
        try {
            Member m = Member.parseFrom(v);
            if (k.length != 8 || m.getId() != ByteBuffer.wrap(k).getLong()) {
                throw new BackendCorruptedException("member record under key " + java.util.HexFormat.of().formatHex(k)
                        + " holds member " + Long.toHexString(m.getId()));
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new BackendCorruptedException("a member record does not decode: " + e.getMessage());
        }
    }
}
