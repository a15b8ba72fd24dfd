package kv.mvcc;

import java.nio.ByteBuffer;

/**
 * A point in the store's history: {@code main} is the revision of a write transaction (one per
 * raft entry that changed something), {@code sub} numbers the changes inside it from 0.
 *
 * <p>Encoded as etcd does, as the key of bucket {@code "key"}: 8 bytes big-endian main, {@code '_'},
 * 8 bytes big-endian sub, and for a deletion a trailing {@code 't'} (the tombstone marker), so that
 * byte order equals revision order. Immutable value.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    /** Length of an encoded revision without the tombstone marker. */
    public static final int BYTES = 17;
    /** Length of an encoded revision with the tombstone marker. */
    public static final int MARKED_BYTES = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE = 't';

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    /** Whether this revision is strictly after {@code o}. */
    public boolean isAfter(Revision o) {
        return compareTo(o) > 0;
    }

    /** The 17-byte encoding. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(main).put(SEPARATOR).putLong(sub).array();
    }

    /** The 18-byte encoding with the tombstone marker. */
    public byte[] toTombstoneBytes() {
        return ByteBuffer.allocate(MARKED_BYTES).putLong(main).put(SEPARATOR).putLong(sub).put(TOMBSTONE).array();
    }

    /** Decodes a 17- or 18-byte encoding (the marker, if present, is ignored). */
    public static Revision fromBytes(byte[] b) {
        if (b.length != BYTES && b.length != MARKED_BYTES) {
            throw new IllegalArgumentException("not an encoded revision: " + b.length + " bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        long main = bb.getLong();
        bb.get();
        return new Revision(main, bb.getLong());
    }

    /** Whether an encoded revision carries the tombstone marker. */
    public static boolean isTombstone(byte[] b) {
        return b.length == MARKED_BYTES && b[BYTES] == TOMBSTONE;
    }

    /** The smallest encoding of main revision {@code main} (sub 0), a scan bound. */
    static byte[] startOf(long main) {
        return new Revision(main, 0).toBytes();
    }

    @Override
    public String toString() {
        return main + "." + sub;
    }
}
