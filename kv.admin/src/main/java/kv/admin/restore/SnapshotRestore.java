package kv.admin.restore;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import kv.admin.DataDir;
import kv.admin.cluster.MemberRecords;
import kv.admin.clusterpb.Member;
import kv.admin.clusterpb.WalMetadata;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendException;
import kv.backend.BackendLocator;
import kv.backend.BackendSnapshot;
import kv.backend.Durability;
import kv.backend.WriteTx;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;
import kv.wal.SnapshotPosition;
import kv.wal.Snapshotter;
import kv.wal.Wal;
import kv.wal.WalConfig;

/**
 * Restores a snapshot file into a new member's data directory, as etcd's {@code snapshot restore}
 * does (save the database, then the WAL and the raft snapshot), so that kvd starts on it as a
 * restarting member of a new cluster:
 *
 * <ul>
 *   <li>{@code member/engine} names {@link RestoreSpec#engine()}; the backend under
 *       {@link DataDir#backend} holds the snapshot's buckets (checked against the file's trailing
 *       SHA-256 first, unless skipped), bucket {@code members} holds one record per initial member
 *       (removals forgotten) and {@code meta/consistent_index} is the restored raft index
 *       <i>n</i> = the number of members;</li>
 *   <li>the WAL names this member and the cluster, records a snapshot at (index <i>n</i>, term 1)
 *       and the hard state (term 1, commit <i>n</i>); the snapshot file in {@link DataDir#snap}
 *       carries the voters (every member) at that position.</li>
 * </ul>
 *
 * <p>A refusal changes nothing; a failure part way deletes what it created. Stateless apart from the
 * locator; thread-safe.
 */
public final class SnapshotRestore {
    /** etcd appends the SHA-256 when the file size is 32 more than a multiple of 512 (kvd pads to 4096). */
    private static final int SHA_LEN = 32;
    private static final int SECTOR = 512;
    /** kvd pads the stream with zeros to a multiple of this before the checksum. */
    private static final int PAGE = 4096;
    private static final String META = "meta";
    private static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.US_ASCII);
    /** The term the restored cluster starts in. */
    static final long TERM = 1;

    private final BackendLocator locator;

    /** A restore that finds engines through {@code locator}. */
    public SnapshotRestore(BackendLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    /** What a restore wrote. */
    public record Result(long memberId, long clusterId, long index, Path backendDir, Path walDir, Path snapFile) {}

    /**
     * Restores {@code spec.snapshot()}; {@code progress} sees the bytes read so far (of the hash
     * check, then of the restore).
     *
     * @throws RestoreException refused (the data or WAL directory exists, no checksum, checksum
     *                          mismatch, unknown engine) or failed; nothing is left behind
     */
    public Result restore(RestoreSpec spec, LongConsumer progress) {
        if (Files.exists(spec.dataDir().root())) {
            throw new RestoreException("data-dir \"" + spec.dataDir().root() + "\" exists");
        }
        if (spec.separateWalDir() && Files.exists(spec.walDir())) {
            throw new RestoreException("wal-dir \"" + spec.walDir() + "\" exists");
        }
        var provider = find(spec.engine());
        long payload = checkedPayload(spec, progress);
        try {
            Path backendDir = spec.dataDir().backend(spec.engine());
            spec.dataDir().record(spec.engine());
            try (Backend backend = provider.open(new BackendConfig(backendDir, Durability.SYNC, Map.of()))) {
                restoreBackend(spec, payload, backend, progress);
            }
            Path snapFile = saveWalAndSnap(spec);
            return new Result(spec.memberId(), spec.clusterId(), spec.initialCluster().size(), backendDir, spec.walDir(), snapFile);
        } catch (IOException | RuntimeException e) {
            discard(spec);
            throw e instanceof RestoreException r ? r : new RestoreException(describe(e), e);
        }
    }

    private kv.backend.spi.BackendProvider find(String engine) {
        try {
            return locator.find(engine);
        } catch (BackendException e) {
            throw new RestoreException(e.getMessage(), e);
        }
    }

    /** Verifies the trailing SHA-256 (unless skipped); returns how many bytes precede it. */
    private static long checkedPayload(RestoreSpec spec, LongConsumer progress) {
        Path file = spec.snapshot();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RestoreException("open " + file + ": no such file or directory", e);
        }
        boolean hasHash = size % SECTOR == SHA_LEN;
        if (!hasHash && !spec.skipHashCheck()) {
            throw new RestoreException("snapshot missing hash but --skip-hash-check=false");
        }
        long payload = hasHash ? size - SHA_LEN : size;
        if (hasHash && !spec.skipHashCheck()) {
            SnapshotChecksum.verify(file, payload, progress);
        }
        return payload;
    }

    private static void restoreBackend(RestoreSpec spec, long payload, Backend backend, LongConsumer progress) throws IOException {
        try (InputStream in = new Counting(new BufferedInputStream(Files.newInputStream(spec.snapshot()), 1 << 16), payload, progress)) {
            BackendSnapshot.restore(in, backend);
            requireZeroPadding(in, spec.snapshot());
        } catch (BackendCorruptedException e) {
            throw new RestoreException("snapshot file " + spec.snapshot() + " is corrupt: " + e.getMessage(), e);
        }
        WriteTx tx = backend.beginWrite();
        try {
            MemberRecords.clear(tx);
            spec.memberIds().forEach((name, id) -> MemberRecords.put(tx, Member.newBuilder().setId(id).setName(name)
                    .addAllPeerUrls(spec.initialCluster().get(name).stream().map(Object::toString).toList()).build()));
            tx.createBucket(META);
            tx.put(META, CONSISTENT_INDEX, ByteBuffer.allocate(8).putLong(spec.initialCluster().size()).array());
            tx.commit(Durability.SYNC);
        } finally {
            tx.close();
        }
    }

    /** After the stream, up to the checksum, kvd writes only zeros (less than a page of them). */
    private static void requireZeroPadding(InputStream in, Path file) throws IOException {
        byte[] rest = in.readNBytes(PAGE);
        boolean zeros = rest.length < PAGE;
        for (byte b : rest) {
            zeros &= b == 0;
        }
        if (!zeros) {
            throw new RestoreException("snapshot file " + file + " is corrupt: data after the snapshot stream");
        }
    }

    /** The WAL (metadata, snapshot mark, hard state) and the raft snapshot file, as kvd's raft log saves them. */
    private static Path saveWalAndSnap(RestoreSpec spec) {
        long index = spec.initialCluster().size();
        List<Long> voters = List.copyOf(spec.memberIds().values());
        Snapshot snap = Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(TERM)
                .setConfState(ConfState.newBuilder().addAllVoters(voters))).build();
        WalMetadata meta = WalMetadata.newBuilder().setMemberId(spec.memberId()).setClusterId(spec.clusterId()).build();
        try (Wal wal = Wal.create(WalConfig.of(spec.walDir()), meta.toByteString())) {
            // the snapshot file before the WAL's mark, so that a mark always has its file (etcd's order)
            Path file = new Snapshotter(spec.dataDir().snap()).save(snap);
            wal.saveSnapshot(new SnapshotPosition(index, TERM));
            wal.save(HardState.newBuilder().setTerm(TERM).setCommit(index).build(), List.of(), true);
            return file;
        }
    }

    /** Deletes what a failed restore created: the data directory did not exist before, nor a separate WAL one. */
    private static void discard(RestoreSpec spec) {
        deleteTree(spec.dataDir().root());
        if (spec.separateWalDir()) {
            deleteTree(spec.walDir());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: the restore's own failure is what the caller must see
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Reads at most {@code limit} bytes (the payload before the checksum) and reports the count. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long left;
        private long count;

        Counting(InputStream in, long limit, LongConsumer progress) {
            super(in);
            this.left = limit;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(Math.min(n, left));
            advance(k);
            return k;
        }

        private void advance(long n) {
            left -= n;
            count += n;
            progress.accept(count);
        }
    }
}
