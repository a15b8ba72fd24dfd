package kv.backend.lmdb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kv.backend.BackendCorruptedException;

/**
 * Keys at least as long as LMDB's key limit ({@code L}, 511 bytes in the bundled build), folded
 * into one LMDB entry per {@code L}-byte prefix. That entry's key is the prefix; its value lists the
 * members, sorted by the rest of their key (the suffix, possibly empty):
 * {@code count, then per member: suffix length, suffix, value length, value} (big-endian ints).
 *
 * <p>Why this keeps {@link kv.backend.Bytes#ORDER}: every stored key shorter than {@code L} and
 * every group key (exactly {@code L} bytes) compare with each other as the full keys they stand for
 * do, because a key shorter than {@code L} decides its order against a long key within its own
 * length, and two groups differ within their first {@code L} bytes. Inside a group the members
 * share those bytes, so suffix order is key order. kv's own keys are short (revisions, names), so
 * groups are rare and small.
 *
 * <p>A decoded copy, changed in memory and encoded back by the write path; not thread-safe.
 */
final class Group {
    /** One long key's suffix (after the {@code L}-byte prefix) and its value. */
    record Member(byte[] suffix, byte[] value) {}

    private final List<Member> members;

    private Group(List<Member> members) {
        this.members = members;
    }

    static Group empty() {
        return new Group(new ArrayList<>());
    }

    static Group decode(ByteBuffer in) {
        ByteBuffer b = in.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        try {
            int n = b.getInt();
            List<Member> ms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] suffix = new byte[b.getInt()];
                b.get(suffix);
                byte[] value = new byte[b.getInt()];
                b.get(value);
                ms.add(new Member(suffix, value));
            }
            return new Group(ms);
        } catch (RuntimeException e) {
            throw new BackendCorruptedException("lmdb: malformed long-key group of " + in.remaining() + " bytes", e);
        }
    }

    int encodedSize() {
        long size = 4;
        for (Member m : members) {
            size += 8L + m.suffix.length + m.value.length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("backend: the long keys sharing one 511-byte prefix hold more than 2 GiB");
        }
        return (int) size;
    }

    void encodeTo(ByteBuffer out) {
        out.putInt(members.size());
        for (Member m : members) {
            out.putInt(m.suffix.length).put(m.suffix).putInt(m.value.length).put(m.value);
        }
    }

    /** Index of the member with {@code suffix}, or {@code -(insertion point) - 1}. */
    int find(byte[] suffix) {
        int lo = 0;
        int hi = members.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(members.get(mid).suffix, suffix);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Index of the first member whose suffix is {@code >= suffix} (may be {@code size()}). */
    int ceiling(byte[] suffix) {
        int i = find(suffix);
        return i >= 0 ? i : -(i + 1);
    }

    int size() {
        return members.size();
    }

    Member get(int i) {
        return members.get(i);
    }

    void upsert(byte[] suffix, byte[] value) {
        int i = find(suffix);
        if (i >= 0) {
            members.set(i, new Member(suffix, value));
        } else {
            members.add(-(i + 1), new Member(suffix, value));
        }
    }

    boolean remove(byte[] suffix) {
        int i = find(suffix);
        if (i < 0) {
            return false;
        }
        members.remove(i);
        return true;
    }
}
