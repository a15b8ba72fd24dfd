package kv.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;

/**
 * Raft snapshot files in one directory, named {@code <term>-<index>.snap} (16 hex digits each).
 * A file is an 8-byte magic, the CRC32C of the payload, the payload length and the payload (the
 * serialized {@link Snapshot}: metadata and the application's data, or a reference to where the
 * application keeps it). Saving is atomic: temp file, fsync, rename, directory fsync.
 *
 * <p>Stateless apart from its directory; thread-safe as long as two snapshots of the same position
 * are not saved at once.
 */
public final class Snapshotter {
    static final String SUFFIX = ".snap";
    private static final byte[] MAGIC = "KVSNAP1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4 + 8;
    private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());

    private final Fs fs;
    private final Path dir;

    /** Snapshot files in {@code dir}, which is created on the first save if missing. */
    public Snapshotter(Path dir) {
        this(NioFs.INSTANCE, dir);
    }

    Snapshotter(Fs fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * Saves {@code snapshot} durably and returns its file.
     *
     * @throws IllegalArgumentException the snapshot is empty (index 0)
     * @throws WalException             the file could not be written; no partial file is left visible
     */
    public Path save(Snapshot snapshot) {
        SnapshotMetadata m = snapshot.getMetadata();
        if (m.getIndex() == 0) {
            throw new IllegalArgumentException("snap: empty snapshot");
        }
        Path file = dir.resolve(fileName(m.getTerm(), m.getIndex()));
        Path tmp = dir.resolve(file.getFileName() + SegmentPipeline.TMP_SUFFIX);
        byte[] payload = snapshot.toByteArray();
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        buf.put(MAGIC).putInt((int) crc.getValue()).putLong(payload.length).put(payload).flip();
        try {
            fs.createDirectories(dir);
            if (fs.exists(tmp)) {
                fs.delete(tmp);
            }
            try (Fs.Handle h = fs.create(tmp)) {
                h.write(buf, 0);
                h.force();
            }
            fs.rename(tmp, file);
            fs.syncDir(dir);
            return file;
        } catch (IOException e) {
            throw new WalException("snap: cannot save " + file + ": " + e.getMessage(), e);
        }
    }

    /** The newest snapshot that passes its checks; corrupt newer ones are logged, reported and skipped. */
    public SnapshotLoad loadNewest() {
        return loadNewest(m -> true);
    }

    /**
     * The newest valid snapshot whose metadata {@code usable} accepts (for instance, one whose
     * position the WAL recorded); corrupt newer ones are logged, reported and skipped.
     */
    public SnapshotLoad loadNewest(Predicate<SnapshotMetadata> usable) {
        List<Path> corrupt = new ArrayList<>();
        for (Path file : snapshotFiles()) {
            Optional<Snapshot> s = read(file);
            if (s.isEmpty()) {
                corrupt.add(file);
            } else if (usable.test(s.get().getMetadata())) {
                return new SnapshotLoad(s, Optional.of(file), corrupt);
            }
        }
        return new SnapshotLoad(Optional.empty(), Optional.empty(), corrupt);
    }

    /** Snapshot files, newest (highest term, then index) first. */
    List<Path> snapshotFiles() {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            return fs.list(dir).stream().filter(n -> parse(n) != null)
                    .sorted(Comparator.reverseOrder()).map(dir::resolve).toList();
        } catch (IOException e) {
            throw new WalException("snap: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Optional<Snapshot> read(Path file) {
        try {
            ByteBuffer buf = WalReader.readWhole(fs, file);
            String why = check(buf);
            if (why == null) {
                Snapshot s = Snapshot.parseFrom(buf.slice(HEADER, buf.limit() - HEADER));
                long[] named = parse(file.getFileName().toString());
                if (named[0] == s.getMetadata().getTerm() && named[1] == s.getMetadata().getIndex()) {
                    return Optional.of(s);
                }
                why = "metadata term " + s.getMetadata().getTerm() + " index " + s.getMetadata().getIndex()
                        + " does not match the file name";
            }
            LOG.log(System.Logger.Level.WARNING, "snap: skipping corrupt snapshot " + file + ": " + why);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "snap: skipping unreadable snapshot " + file + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private static String check(ByteBuffer buf) {
        if (buf.limit() < HEADER || !buf.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            return "bad magic";
        }
        long length = buf.getLong(MAGIC.length + 4);
        if (length != buf.limit() - HEADER) {
            return "length " + length + " does not match the file size";
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(HEADER, (int) length));
        return (int) crc.getValue() == buf.getInt(MAGIC.length) ? null : "crc mismatch";
    }

    static String fileName(long term, long index) {
        HexFormat h = HexFormat.of();
        return h.toHexDigits(term) + "-" + h.toHexDigits(index) + SUFFIX;
    }

    /** {term, index} of a snapshot file name, or null. */
    private static long[] parse(String name) {
        if (name.length() != 33 + SUFFIX.length() || !name.endsWith(SUFFIX) || name.charAt(16) != '-') {
            return null;
        }
        try {
            return new long[] {HexFormat.fromHexDigitsToLong(name, 0, 16), HexFormat.fromHexDigitsToLong(name, 17, 33)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
