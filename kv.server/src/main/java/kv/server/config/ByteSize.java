package kv.server.config;

/** A non-negative number of bytes. */
public record ByteSize(long bytes) {
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofMebibytes(long n) {
        return new ByteSize(Math.multiplyExact(n, 1024L * 1024));
    }

    public static ByteSize ofGibibytes(long n) {
        return new ByteSize(Math.multiplyExact(n, 1024L * 1024 * 1024));
    }

    @Override
    public String toString() {
        return bytes + " bytes";
    }
}
