package kv.admin.restore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.LongConsumer;

/** The SHA-256 a member appends to a snapshot it streams: over every byte before it. */
final class SnapshotChecksum {
    static final int LENGTH = 32;

    private SnapshotChecksum() {}

    /**
     * Checks that the {@link #LENGTH} bytes after the first {@code payload} bytes of {@code file}
     * are the SHA-256 of those bytes.
     *
     * @throws RestoreException naming the file, with both digests as etcd prints them, on a mismatch
     */
    static void verify(Path file, long payload, LongConsumer progress) {
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long done = 0;
            while (done < payload) {
                buf.clear().limit((int) Math.min(buf.capacity(), payload - done));
                int n = ch.read(buf, done);
                if (n < 0) {
                    throw new RestoreException("snapshot file " + file + " is truncated");
                }
                buf.flip();
                sha.update(buf);
                done += n;
                progress.accept(done);
            }
            ByteBuffer tail = ByteBuffer.allocate(LENGTH);
            while (tail.hasRemaining()) {
                if (ch.read(tail, payload + tail.position()) < 0) {
                    throw new RestoreException("snapshot file " + file + " is truncated");
                }
            }
            byte[] got = sha.digest();
            if (!Arrays.equals(got, tail.array())) {
                throw new RestoreException("snapshot file " + file + " integrity check failed: expected sha256 "
                        + goBytes(tail.array()) + ", got " + goBytes(got));
            }
        } catch (IOException e) {
            throw new RestoreException("read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Go's {@code %v} of a byte slice: unsigned decimals in brackets. */
    static String goBytes(byte[] b) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < b.length; i++) {
            sb.append(i == 0 ? "" : " ").append(b[i] & 0xff);
        }
        return sb.append(']').toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
