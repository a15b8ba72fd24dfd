package example.kv.backend.memlog;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import kv.backend.BackendCorruptedException;

/**
 * The byte formats of memlog's files. Every file starts with a 16-byte header: a magic int, the
 * format version (int) and the generation (long) it belongs to. Then frames: {@code int length,
 * int crc32c(payload), payload}, {@code 0 < length}. A payload is a run of records, each a type
 * byte and its fields; byte strings and names are {@code int length, bytes}.
 *
 * <p>Log records: {@code 'C' name} create bucket, {@code 'X' name} delete bucket, {@code 'P' name
 * key value} put, {@code 'D' name key} delete, {@code 'R' name from to} delete range (an absent
 * bound is length -1). One frame holds one whole transaction, so a commit is all or nothing.
 *
 * <p>Checkpoint records: {@code 'B' name} starts a bucket, {@code 'E' key value} an entry of it,
 * and one {@code 'Z' long buckets, long entries} closes the file.
 *
 * <p>Stateless; the nested {@link Out} is not thread-safe.
 */
final class Codec {
    static final int LOG_MAGIC = 0x4D4C4C47; // "MLLG"
    static final int CHECKPOINT_MAGIC = 0x4D4C434B; // "MLCK"
    static final int VERSION = 1;
    static final int HEADER = 16;
    static final int FRAME_HEADER = 8;

    static final byte CREATE = 'C';
    static final byte DROP = 'X';
    static final byte PUT = 'P';
    static final byte DELETE = 'D';
    static final byte DELETE_RANGE = 'R';
    static final byte BUCKET = 'B';
    static final byte ENTRY = 'E';
    static final byte END = 'Z';

    private Codec() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteBuffer header(int magic, long generation) {
        return ByteBuffer.allocate(HEADER).putInt(magic).putInt(VERSION).putLong(generation).flip();
    }

    /** Checks a file header; returns its generation. */
    static long checkHeader(ByteBuffer h, int magic, String file) {
        int m = h.getInt();
        int v = h.getInt();
        if (m != magic) {
            throw new BackendCorruptedException(String.format("memlog: %s has bad magic 0x%08x", file, m));
        }
        if (v != VERSION) {
            throw new BackendCorruptedException("memlog: " + file + " has format version " + v + ", this build reads " + VERSION);
        }
        return h.getLong();
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** A growable record buffer that is turned into one frame. */
    static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        Out type(byte t) {
            write(t);
            return this;
        }

        Out bytes(byte[] b) {
            writeInt(b.length);
            write(b, 0, b.length);
            return this;
        }

        Out optionalBytes(byte[] b) {
            return b == null ? writeInt(-1) : bytes(b);
        }

        Out name(String s) {
            return bytes(utf8(s));
        }

        Out writeLong(long v) {
            writeInt((int) (v >>> 32));
            return writeInt((int) v);
        }

        Out writeInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
            return this;
        }

        /** The records so far as one frame (header and payload), ready to append. */
        ByteBuffer frame() {
            ByteBuffer f = ByteBuffer.allocate(FRAME_HEADER + count);
            f.putInt(count).putInt(crc(buf, 0, count)).put(buf, 0, count);
            return f.flip();
        }
    }

    /** Reads the records of one verified payload; any overrun means a corrupt record. */
    static final class In {
        private final ByteBuffer b;
        private final String where;

        In(byte[] payload, String where) {
            this.b = ByteBuffer.wrap(payload);
            this.where = where;
        }

        boolean more() {
            return b.hasRemaining();
        }

        byte type() {
            return get(() -> b.get());
        }

        long readLong() {
            return get(() -> b.getLong());
        }

        String name() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        byte[] optionalBytes() {
            int n = get(() -> b.getInt());
            return n == -1 ? null : take(n);
        }

        byte[] bytes() {
            return take(get(() -> b.getInt()));
        }

        private byte[] take(int n) {
            if (n < 0 || n > b.remaining()) {
                throw new BackendCorruptedException("memlog: bad length " + n + " in " + where);
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        private <T> T get(java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (BufferUnderflowException e) {
                throw new BackendCorruptedException("memlog: truncated record in " + where, e);
            }
        }
    }
}
