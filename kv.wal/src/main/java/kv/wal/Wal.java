package kv.wal;

import com.google.protobuf.ByteString;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * A raft write-ahead log: a directory of preallocated segment files holding CRC-chained records of
 * entries, hard states and snapshot positions.
 *
 * <p>Life cycle: {@link #create} a new log (ready to append), or {@link #open} an existing one at a
 * snapshot position and call {@link #readAll} once, which verifies everything, cuts a torn tail and
 * makes the log ready to append. Then {@link #save} per raft {@code Ready}, {@link #saveSnapshot}
 * and {@link #release} as snapshots are taken, and {@link #close}. The directory is locked from open
 * to close, against other processes and other instances in this JVM.
 *
 * <p>Failure: any failed write, fsync, rename or directory sync makes this instance refuse every
 * further call with {@link WalFailedException}, because what reached the disk is unknown; the
 * member must stop and recover by reopening. Corruption found by {@link #readAll} throws
 * {@link WalCorruptException} and changes nothing on disk.
 *
 * <p>Thread-safe (calls are serialized), though raft drives it from one thread. Owns its files, a
 * preallocation thread and the directory lock until {@link #close}.
 */
public final class Wal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    private final ReentrantLock mu = new ReentrantLock();
    private final WalConfig config;
    private final Fs fs;
    private final Closeable dirLock;
    private final RecordEncoder encoder = new RecordEncoder();
    // set while opened and not yet read
    private List<SegmentName> toRead;
    private SnapshotPosition readFrom;
    // append state
    private SegmentPipeline pipeline;
    private Fs.Handle segment;
    private SegmentName segmentName;
    private long headerEnd;
    private long offset;
    private int crc;
    private boolean markNext;
    private long lastIndex;
    private HardState hardState = HardState.getDefaultInstance();
    private ByteString metadata;
    private WalException failure;
    private boolean closed;

    private Wal(WalConfig config, Fs fs, Closeable dirLock) {
        this.config = config;
        this.fs = fs;
        this.dirLock = dirLock;
    }

    /** Whether {@code dir} holds at least one segment. */
    public static boolean exists(Path dir) {
        return exists(NioFs.INSTANCE, dir);
    }

    static boolean exists(Fs fs, Path dir) {
        try {
            return fs.exists(dir) && !WalDir.segments(fs, dir).isEmpty();
        } catch (IOException e) {
            throw new WalException("wal: cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates a new log in {@code config.dir()} holding {@code metadata} and the empty snapshot
     * position, ready to append. Fails when segments exist there already.
     */
    public static Wal create(WalConfig config, ByteString metadata) {
        return create(NioFs.INSTANCE, config, metadata);
    }

    static Wal create(Fs fs, WalConfig config, ByteString metadata) {
        Objects.requireNonNull(metadata, "metadata");
        Path dir = config.dir();
        try {
            if (!fs.exists(dir)) {
                fs.createDirectories(dir);
                if (dir.toAbsolutePath().getParent() != null) {
                    fs.syncDir(dir.toAbsolutePath().getParent());
                }
            }
        } catch (IOException e) {
            throw new WalFailedException("wal: cannot create " + dir + ": " + e.getMessage(), e);
        }
        Wal w = new Wal(config, fs, WalDir.lock(fs, dir));
        w.mu.lock();
        try {
            // checked under the lock, so that two creators cannot both pass
            if (exists(fs, dir)) {
                throw new WalException("wal: file already exists in " + dir);
            }
            WalDir.deleteTempFiles(fs, dir);
            w.metadata = metadata;
            w.install(SegmentPipeline.preallocate(fs, dir.resolve("create" + SegmentPipeline.TMP_SUFFIX),
                    config.segmentSize().bytes()), new SegmentName(1, 0), new WalRecord.CrcCarry(0, 0),
                    new WalRecord.SnapshotMark(SnapshotPosition.ZERO));
            w.pipeline = new SegmentPipeline(fs, dir, config.segmentSize().bytes());
            return w;
        } catch (IOException e) {
            w.abandon();
            throw new WalFailedException("wal: cannot create the first segment in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            w.abandon();
            throw e;
        } finally {
            w.mu.unlock();
        }
    }

    /**
     * Opens the log in {@code config.dir()} to read from snapshot position {@code from}: locks the
     * directory and chooses the segments (from the last one whose first index is at or below
     * {@code from.index()}); {@link #readAll} does the reading.
     *
     * @throws WalException the directory is locked, holds no segments, none starts at or below the
     *                      snapshot index, or the segment sequence has a gap
     */
    public static Wal open(WalConfig config, SnapshotPosition from) {
        return open(NioFs.INSTANCE, config, from);
    }

    static Wal open(Fs fs, WalConfig config, SnapshotPosition from) {
        Objects.requireNonNull(from, "from");
        Path dir = config.dir();
        Closeable lock = WalDir.lock(fs, WalDir.checkedDir(fs, dir));
        try {
            List<SegmentName> all = WalDir.checkedSegments(fs, dir);
            int start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (Long.compareUnsigned(all.get(i).firstIndex(), from.index()) <= 0) {
                    start = i;
                }
            }
            if (start < 0) {
                throw new WalException("wal: file not found: no segment in " + dir + " starts at or before index "
                        + from.index());
            }
            Wal w = new Wal(config, fs, lock);
            w.toRead = List.copyOf(all.subList(start, all.size()));
            w.readFrom = from;
            return w;
        } catch (IOException | RuntimeException e) {
            WalDir.closeQuietly(lock);
            if (e instanceof IOException io) {
                throw new WalException("wal: cannot open " + dir + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Offline repair: cuts a torn tail of the log in {@code config.dir()} (zeroing the bytes after the
     * last intact record) and reports it. Corruption before the tail is not repaired: it throws
     * {@link WalCorruptException} and changes nothing.
     */
    public static Optional<TornTail> repair(WalConfig config) {
        return repair(NioFs.INSTANCE, config);
    }

    static Optional<TornTail> repair(Fs fs, WalConfig config) {
        Path dir = config.dir();
        Closeable lock = WalDir.lock(fs, WalDir.checkedDir(fs, dir));
        try {
            List<SegmentName> all = WalDir.checkedSegments(fs, dir);
            WalReader.Recovered r = new WalReader(SnapshotPosition.ZERO, false).read(fs, dir, all);
            Path file = dir.resolve(r.lastSegment().fileName());
            try (Fs.Handle h = fs.open(file)) {
                return cutTail(h, file, r);
            }
        } catch (IOException e) {
            throw new WalFailedException("wal: repair of " + dir + " failed: " + e.getMessage(), e);
        } finally {
            WalDir.closeQuietly(lock);
        }
    }

    /**
     * The snapshot positions recorded in the log in {@code config.dir()} that a snapshot file may be
     * loaded at: those at or below the last saved commit index (a snapshot above it could hold
     * entries that were never committed), oldest first. Reads without modifying anything; the log
     * must not be open. Pair with {@link Snapshotter#loadNewest(java.util.function.Predicate)}.
     */
    public static List<SnapshotPosition> snapshotPositions(WalConfig config) {
        return snapshotPositions(NioFs.INSTANCE, config);
    }

    static List<SnapshotPosition> snapshotPositions(Fs fs, WalConfig config) {
        Path dir = config.dir();
        Closeable lock = WalDir.lock(fs, WalDir.checkedDir(fs, dir));
        try {
            WalReader.Recovered r = new WalReader(SnapshotPosition.ZERO, false).read(fs, dir, WalDir.checkedSegments(fs, dir));
            long commit = r.hardState().getCommit();
            return r.snapshots().stream().filter(p -> Long.compareUnsigned(p.index(), commit) <= 0).toList();
        } catch (IOException e) {
            throw new WalException("wal: cannot read " + dir + ": " + e.getMessage(), e);
        } finally {
            WalDir.closeQuietly(lock);
        }
    }

    /**
     * Reads everything after the snapshot position given to {@link #open}, verifying every record,
     * cuts a torn tail (reported in the result and logged) and makes the log ready to append.
     * Callable once, before any write.
     *
     * @throws WalCorruptException a record before the tail is damaged; nothing was modified
     * @throws WalException        the snapshot position was not recorded in the log
     */
    public WalContents readAll() {
        mu.lock();
        try {
            usable();
            if (toRead == null) {
                throw new IllegalStateException("wal: readAll is called once, after open");
            }
            try {
                return readAndPrepare();
            } catch (WalException e) {
                failure = e;
                throw e;
            } catch (IOException e) {
                throw fail("read", e);
            }
        } finally {
            mu.unlock();
        }
    }

    private WalContents readAndPrepare() throws IOException {
        Path dir = config.dir();
        WalReader.Recovered r = new WalReader(readFrom, true).read(fs, dir, toRead);
        toRead = null;
        Path file = dir.resolve(r.lastSegment().fileName());
        segment = fs.open(file);
        Optional<TornTail> torn = cutTail(segment, file, r);
        // Whatever survived the crash is made durable now, so the next batch may carry a sync mark.
        segment.force();
        markNext = true;
        segmentName = r.lastSegment();
        offset = r.end();
        crc = r.crc();
        lastIndex = r.lastIndex();
        hardState = r.hardState();
        metadata = r.metadata();
        WalDir.deleteTempFiles(fs, dir);
        pipeline = new SegmentPipeline(fs, dir, config.segmentSize().bytes());
        return new WalContents(r.metadata(), r.hardState(), r.entries(), torn);
    }

    private static Optional<TornTail> cutTail(Fs.Handle h, Path file, WalReader.Recovered r) throws IOException {
        if (r.dirtyEnd() <= r.end()) {
            return Optional.empty();
        }
        long length = r.dirtyEnd() - r.end();
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        for (long p = r.end(); p < r.dirtyEnd(); ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), r.dirtyEnd() - p));
            h.write(zeros, p);
            p += zeros.limit();
        }
        h.force();
        TornTail t = new TornTail(file, r.end(), length);
        LOG.log(System.Logger.Level.WARNING, t + " (" + r.why() + ")");
        return Optional.of(t);
    }

    /**
     * Appends {@code entries} and, when it is not empty, {@code hardState}, in one write; when
     * {@code mustSync}, one fsync makes the whole batch durable before returning. Rotates to the
     * next segment first when the batch does not fit in the current one. Does nothing when both
     * are empty.
     *
     * @throws WalFailedException the write or fsync failed, now or before
     */
    public void save(HardState hardState, List<Entry> entries, boolean mustSync) {
        boolean hsEmpty = isEmpty(hardState);
        mu.lock();
        try {
            appendable();
            if (entries.isEmpty() && hsEmpty) {
                return;
            }
            long size = batchSize(hardState, hsEmpty, entries);
            if (offset + size > config.segmentSize().bytes() && offset > headerEnd) {
                rotate();
            }
            encoder.reset(crc);
            if (markNext) {
                encoder.append(new WalRecord.SyncMark(segmentName.seq(), offset, crc));
            }
            for (Entry e : entries) {
                encoder.append(new WalRecord.EntryRecord(e));
            }
            if (!hsEmpty) {
                encoder.append(new WalRecord.State(hardState));
            }
            write(mustSync);
            if (!entries.isEmpty()) {
                lastIndex = entries.getLast().getIndex();
            }
            if (!hsEmpty) {
                this.hardState = hardState;
            }
        } finally {
            mu.unlock();
        }
    }

    /** Records that a raft snapshot was taken at {@code position}, durably (one fsync). */
    public void saveSnapshot(SnapshotPosition position) {
        mu.lock();
        try {
            appendable();
            if (offset + 64 > config.segmentSize().bytes() && offset > headerEnd) {
                rotate();
            }
            encoder.reset(crc);
            if (markNext) {
                encoder.append(new WalRecord.SyncMark(segmentName.seq(), offset, crc));
            }
            encoder.append(new WalRecord.SnapshotMark(position));
            write(true);
            lastIndex = Math.max(lastIndex, position.index());
        } finally {
            mu.unlock();
        }
    }

    /** Makes everything saved so far durable. */
    public void sync() {
        mu.lock();
        try {
            appendable();
            force();
        } finally {
            mu.unlock();
        }
    }

    /**
     * Removes the segments wholly below a snapshot at {@code snapshotIndex}: every segment before the
     * last one whose first index is at or below it (that one may hold entries after the snapshot, and
     * holds or precedes the snapshot's mark). Oldest first, so a crash leaves a contiguous suffix.
     */
    public void release(long snapshotIndex) {
        mu.lock();
        try {
            appendable();
            List<SegmentName> all = WalDir.segments(fs, config.dir());
            int keep = 0;
            for (int i = 0; i < all.size(); i++) {
                if (Long.compareUnsigned(all.get(i).firstIndex(), snapshotIndex) <= 0) {
                    keep = i;
                }
            }
            for (int i = 0; i < keep && all.get(i).seq() < segmentName.seq(); i++) {
                fs.delete(config.dir().resolve(all.get(i).fileName()));
            }
            if (keep > 0) {
                fs.syncDir(config.dir());
            }
        } catch (IOException e) {
            throw fail("release", e);
        } finally {
            mu.unlock();
        }
    }

    /** The index of the last entry saved (or recorded snapshot, whichever is later). */
    public long lastIndex() {
        mu.lock();
        try {
            return lastIndex;
        } finally {
            mu.unlock();
        }
    }

    /** Syncs what was saved (unless the log has failed), stops preallocating and unlocks the directory. */
    @Override
    public void close() {
        mu.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (failure == null && segment != null) {
                    segment.force();
                }
            } catch (IOException e) {
                failure = new WalFailedException("wal: fsync on close failed: " + e.getMessage(), e);
                throw failure;
            } finally {
                abandon();
            }
        } finally {
            mu.unlock();
        }
    }

    private void write(boolean mustSync) {
        ByteBuffer batch = encoder.batch();
        int size = batch.remaining();
        try {
            segment.write(batch, offset);
        } catch (IOException e) {
            throw fail("write", e);
        }
        offset += size;
        crc = encoder.crc();
        markNext = false;
        if (mustSync) {
            force();
        }
    }

    private void force() {
        try {
            segment.force();
        } catch (IOException e) {
            throw fail("fsync", e);
        }
        markNext = true;
    }

    /**
     * Moves to the next segment: the current one is fsynced whole, the prepared file gets its header
     * (carry-over, metadata, hard state, sync mark) and an fsync, then is renamed into place and the
     * directory fsynced.
     */
    private void rotate() {
        try {
            segment.force();
            Fs.Handle next = pipeline.take();
            Fs.Handle old = segment;
            install(next, new SegmentName(segmentName.seq() + 1, lastIndex + 1), new WalRecord.CrcCarry(crc, offset));
            old.close();
        } catch (IOException e) {
            throw fail("segment rotation", e);
        }
    }

    private void install(Fs.Handle file, SegmentName name, WalRecord.CrcCarry carry, WalRecord... extra) throws IOException {
        Path target = config.dir().resolve(name.fileName());
        try {
            encoder.reset(0);
            encoder.append(carry);
            encoder.append(new WalRecord.Metadata(metadata));
            for (WalRecord r : extra) {
                encoder.append(r);
            }
            if (!isEmpty(hardState)) {
                encoder.append(new WalRecord.State(hardState));
            }
            encoder.append(new WalRecord.SyncMark(name.seq(), encoder.size(), encoder.crc()));
            ByteBuffer header = encoder.batch();
            int size = header.remaining();
            file.write(header, 0);
            file.force();
            fs.rename(file.path(), target);
            fs.syncDir(config.dir());
            segment = file;
            segmentName = name;
            headerEnd = size;
            offset = size;
            crc = encoder.crc();
            markNext = false;
        } catch (IOException | RuntimeException e) {
            WalDir.closeQuietly(file);
            throw e;
        }
    }

    private static long batchSize(HardState hs, boolean hsEmpty, List<Entry> entries) {
        long size = RecordCodec.SYNC_MARK_SIZE;
        for (Entry e : entries) {
            size += RecordCodec.sizeOfEntry(e);
        }
        return hsEmpty ? size : size + RecordCodec.size(hs.getSerializedSize());
    }

    static boolean isEmpty(HardState hs) {
        return hs.getTerm() == 0 && hs.getVote() == 0 && hs.getCommit() == 0;
    }

    private WalFailedException fail(String what, IOException e) {
        failure = new WalFailedException("wal: " + what + " failed in " + config.dir() + ", the log is unusable: "
                + e.getMessage(), e);
        LOG.log(System.Logger.Level.ERROR, failure.getMessage(), e);
        return (WalFailedException) failure;
    }

    private void usable() {
        if (closed) {
            throw new IllegalStateException("wal: " + config.dir() + " is closed");
        }
        if (failure != null) {
            throw new WalFailedException("wal: refusing to continue after an earlier failure: " + failure.getMessage(),
                    failure);
        }
    }

    private void appendable() {
        usable();
        if (toRead != null) {
            throw new IllegalStateException("wal: readAll must be called before writing");
        }
    }

    private void abandon() {
        if (pipeline != null) {
            pipeline.close();
        }
        WalDir.closeQuietly(segment);
        WalDir.closeQuietly(dirLock);
    }
}
