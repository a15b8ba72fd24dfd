package kv.wal;

/**
 * A non-negative amount of bytes, so that sizes in configuration carry their unit.
 *
 * @param bytes the size in bytes, {@code >= 0}
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofKibibytes(long kib) {
        return new ByteSize(Math.multiplyExact(kib, 1024L));
    }

    public static ByteSize ofMebibytes(long mib) {
        return new ByteSize(Math.multiplyExact(mib, 1024L * 1024L));
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        if (bytes % (1024L * 1024L) == 0 && bytes != 0) {
            return bytes / (1024L * 1024L) + "MiB";
        }
        if (bytes % 1024L == 0 && bytes != 0) {
            return bytes / 1024L + "KiB";
        }
        return bytes + "B";
    }
}
