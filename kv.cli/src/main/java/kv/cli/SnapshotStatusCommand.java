package kv.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import kv.backend.BackendSnapshot;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.cli.output.SnapshotStatus;
import picocli.CommandLine.Command;

/**
 * {@code kvctl snapshot status FILE}: checks a snapshot file saved from kvd (a
 * {@link BackendSnapshot} stream, zero padding to 4096 bytes, the SHA-256 of everything before it)
 * and prints etcdctl's status shape. The stream is restored into a scratch store in a temporary
 * directory (removed after), which verifies every chunk, record and count, and gives the content
 * hash and the newest revision.
 */
@Command(name = "status", description = {"Gets backend snapshot status of a given file",
        "Verifies the file's trailing SHA-256 and the snapshot stream in it (checksums, order, counts), then prints its",
        "content hash (kv's engine-neutral SHA-256, the one 'kvctl hashkv --data-dir' prints), the newest MVCC revision",
        "(\"-\" when the snapshot holds no key bucket), the total number of keys over all buckets and the file size.",
        "Needs free space in the temporary directory about the size of the snapshot."},
        customSynopsis = "kvctl snapshot status <filename>",
        footer = {"  kvctl snapshot status backup.db", "  kvctl snapshot status backup.db -w table", "  kvctl snapshot status backup.db -w json"})
final class SnapshotStatusCommand extends CliCommand {
    private static final int SHA_LEN = 32;
    /** kvd pads the stream to a multiple of this before the checksum. */
    private static final int PAGE = 4096;
    /** The MVCC bucket whose keys are revisions (8 bytes big-endian main, '_', 8 bytes sub, maybe 't'). */
    private static final String KEY_BUCKET = "key";

    @Override
    void run() throws IOException {
        if (args.size() != 1) {
            throw CliException.badArgs("snapshot status requires exactly one argument");
        }
        printer(); // an unknown -w fails before any work
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCode.ERROR, "stat " + file + ": no such file or directory");
        }
        long size = Files.size(file);
        verifySha256(file, size);
        printer().snapshotStatus(restoreAndMeasure(file, size));
    }

    private static void verifySha256(Path file, long size) throws IOException {
        if (size < SHA_LEN) {
            throw new CliException(ExitCode.ERROR, "snapshot file " + file + " is too small (" + size + " bytes): sha256 checksum not found");
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long left = size - SHA_LEN; left > 0; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf);
                buf.flip();
                sha.update(buf);
                left -= n;
            }
            ByteBuffer tail = ByteBuffer.allocate(SHA_LEN);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // reads the 32 trailing bytes
            }
            if (!Arrays.equals(sha.digest(), tail.array())) {
                throw new CliException(ExitCode.ERROR, "snapshot file integrity check failed: sha256 mismatch in " + file);
            }
        }
    }

    private static SnapshotStatus restoreAndMeasure(Path file, long size) throws IOException {
        Path scratch = Files.createTempDirectory("kvctl-snapshot-status-");
        try (Counting in = new Counting(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16));
             Backend store = BackendLocator.builtIn().find(BackendLocator.DEFAULT_ENGINE)
                     .open(new BackendConfig(scratch, Durability.NO_SYNC, Map.of()))) {
            try {
                BackendSnapshot.restore(in, store);
            } catch (BackendCorruptedException e) {
                throw new CliException(ExitCode.ERROR, "snapshot file " + file + " is corrupt: " + e.getMessage());
            }
            requireZeroPadding(in, size - SHA_LEN - in.count, file);
            try (ReadTx tx = store.beginRead()) {
                BackendHash h = BackendHash.of(tx);
                return new SnapshotStatus(h.sha256(), revision(tx), h.entries(), size);
            }
        } catch (kv.backend.BackendException | java.io.UncheckedIOException e) {
            throw OfflineCommands.failed(e);
        } finally {
            TempTree.delete(scratch);
        }
    }

    /** Between the stream's end and the checksum there may only be the zero padding kvd writes. */
    private static void requireZeroPadding(InputStream in, long padding, Path file) throws IOException {
        if (padding < 0 || padding >= PAGE) {
            throw new CliException(ExitCode.ERROR, "snapshot file " + file + " is corrupt: " + (padding < 0
                    ? "the stream runs into the sha256 checksum" : padding + " bytes after the snapshot stream"));
        }
        byte[] pad = in.readNBytes((int) Math.min(padding, Integer.MAX_VALUE));
        for (byte b : pad) {
            if (b != 0) {
                throw new CliException(ExitCode.ERROR, "snapshot file " + file + " is corrupt: data after the snapshot stream");
            }
        }
    }

    /** The newest revision: the last key of the {@code key} bucket, as etcdctl derives it. */
    private static OptionalLong revision(ReadTx tx) {
        if (!tx.hasBucket(KEY_BUCKET)) {
            return OptionalLong.empty();
        }
        try (Cursor c = tx.cursor(KEY_BUCKET)) {
            if (!c.last() || (c.key().length != 17 && c.key().length != 18)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(ByteBuffer.wrap(c.key()).getLong());
        }
    }

    /** Counts the bytes the restore consumed, to find where the padding starts. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }
}
