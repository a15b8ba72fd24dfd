package kv.wal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * Reads and verifies segments in order without modifying anything, deciding where the data ends.
 *
 * <p>The rules that separate a crash's torn tail from corruption: a segment that is not the last
 * was fsynced whole before its successor existed, so its data must end exactly where the
 * successor's carry-over record says. In the last segment, the data before its first sync mark is
 * its header (fsynced before the file was renamed into place), and a sync mark vouches that every
 * byte before it was durable. So a bad or zeroed record is a torn tail only when a sync mark
 * precedes it and no valid sync mark follows it; anything else is corruption.
 */
final class WalReader {
    /**
     * The outcome of a read.
     *
     * @param end      where the data of the last segment ends (the next append goes there)
     * @param dirtyEnd end of the non-zero bytes after {@code end} in the last segment ({@code == end} when clean)
     * @param why      why the data ended at {@code end} when bytes follow it
     */
    record Recovered(ByteString metadata, HardState hardState, List<Entry> entries, long lastIndex,
                     SegmentName lastSegment, long end, long dirtyEnd, int crc, String why,
                     List<SnapshotPosition> snapshots) {}

    private final CRC32C crc32 = new CRC32C();
    private final SnapshotPosition from;
    private final boolean collect;
    private final List<Entry> entries = new ArrayList<>();
    private final List<SnapshotPosition> snapshots = new ArrayList<>();
    private ByteString metadata;
    private HardState hardState = HardState.getDefaultInstance();
    private long lastIndex;
    private boolean snapshotFound;

    /**
     * @param from    the snapshot position to read after; its mark must be found unless not {@code collect}
     * @param collect whether to keep entries and check the snapshot position (repair does neither)
     */
    WalReader(SnapshotPosition from, boolean collect) {
        this.from = from;
        this.collect = collect;
        this.lastIndex = from.index();
    }

    Recovered read(Fs fs, Path dir, List<SegmentName> segments) throws IOException {
        Integer chain = null;
        Path previousFile = null;
        long previousEnd = -1;
        for (int i = 0; i < segments.size(); i++) {
            SegmentName seg = segments.get(i);
            Path file = dir.resolve(seg.fileName());
            ByteBuffer buf = readWhole(fs, file);
            Scan s = scan(file, seg, buf, chain, previousFile, previousEnd);
            if (i < segments.size() - 1) {
                if (s.why != null) {
                    throw new WalCorruptException(file, s.end, s.why + " in a segment that is not the last");
                }
            } else {
                return finishLast(file, seg, buf, s);
            }
            chain = s.crc;
            previousFile = file;
            previousEnd = s.end;
        }
        throw new IllegalArgumentException("no segments to read");
    }

    private record Scan(long end, int crc, String why, boolean sawMark) {}

    private Scan scan(Path file, SegmentName seg, ByteBuffer buf, Integer chain, Path previousFile, long previousEnd) {
        int off = 0;
        int crc = 0;
        boolean sawMark = false;
        while (true) {
            RecordCodec.Read r = RecordCodec.decode(crc32, buf, off, crc);
            switch (r) {
                case RecordCodec.Read.Ok ok -> {
                    if (off == 0) {
                        checkCarry(file, ok.record(), chain, previousFile, previousEnd);
                    } else {
                        sawMark |= apply(file, seg, off, ok.record());
                    }
                    crc = ok.crc();
                    off += ok.size();
                }
                case RecordCodec.Read.End e -> {
                    return new Scan(off, crc, null, sawMark);
                }
                case RecordCodec.Read.Bad b -> {
                    if (off == 0) {
                        throw new WalCorruptException(file, 0, b.why() + " in the segment's first record");
                    }
                    return new Scan(off, crc, b.why(), sawMark);
                }
            }
        }
    }

    private void checkCarry(Path file, WalRecord first, Integer chain, Path previousFile, long previousEnd) {
        if (!(first instanceof WalRecord.CrcCarry carry)) {
            throw new WalCorruptException(file, 0, "segment does not start with a crc carry-over record");
        }
        if (previousFile != null && carry.previousEnd() != previousEnd) {
            throw new WalCorruptException(previousFile, previousEnd,
                    "data ends before offset " + carry.previousEnd() + " recorded by the next segment");
        }
        if (chain != null && carry.previousCrc() != chain) {
            throw new WalCorruptException(file, 0, "crc chain broken across segments");
        }
    }

    /** Applies one record; true when it is a sync mark. */
    private boolean apply(Path file, SegmentName seg, int off, WalRecord rec) {
        switch (rec) {
            case WalRecord.CrcCarry c -> throw new WalCorruptException(file, off, "crc carry-over record inside a segment");
            case WalRecord.Metadata m -> {
                if (metadata != null && !metadata.equals(m.data())) {
                    throw new WalCorruptException(file, off, "conflicting metadata found");
                }
                metadata = m.data();
            }
            case WalRecord.EntryRecord e -> addEntry(file, off, e.entry());
            case WalRecord.State s -> hardState = s.hardState();
            case WalRecord.SnapshotMark s -> {
                SnapshotPosition p = s.position();
                if (collect && p.index() == from.index()) {
                    if (p.term() != from.term()) {
                        throw new WalException("wal: snapshot mismatch: index " + p.index() + " has term " + p.term()
                                + " in " + file + ", not " + from.term());
                    }
                    snapshotFound = true;
                }
                lastIndex = Math.max(lastIndex, p.index());
                snapshots.add(p);
            }
            case WalRecord.SyncMark m -> {
                if (m.segmentSeq() != seg.seq() || m.offset() != off) {
                    throw new WalCorruptException(file, off, "sync mark of segment " + m.segmentSeq() + " offset " + m.offset());
                }
                return true;
            }
        }
        return false;
    }

    private void addEntry(Path file, int off, Entry e) {
        lastIndex = e.getIndex();
        if (!collect) {
            return;
        }
        if (Long.compareUnsigned(e.getIndex(), from.index()) <= 0) {
            // Raft rewrote its log at or below the snapshot: whatever followed is gone.
            entries.clear();
            return;
        }
        long up = e.getIndex() - from.index() - 1;
        if (up > entries.size()) {
            throw new WalCorruptException(file, off, "entry index gap: index " + e.getIndex() + " after "
                    + (from.index() + entries.size()));
        }
        entries.subList((int) up, entries.size()).clear();
        entries.add(e);
    }

    private Recovered finishLast(Path file, SegmentName seg, ByteBuffer buf, Scan s) {
        if (!s.sawMark) {
            throw new WalCorruptException(file, s.end, (s.why == null ? "end of data" : s.why) + " inside the segment header");
        }
        if (hasSyncMarkFrom(buf, (int) s.end, seg.seq())) {
            throw new WalCorruptException(file, s.end, (s.why == null ? "zeroed records" : s.why) + " before synced data");
        }
        if (collect && !snapshotFound) {
            throw new WalException("wal: snapshot not found: no snapshot record at index " + from.index()
                    + " term " + from.term() + " in " + file.getParent());
        }
        long dirtyEnd = nonZeroEnd(buf, (int) s.end);
        String why = s.why != null ? s.why : dirtyEnd > s.end ? "bytes after zeros" : null;
        return new Recovered(metadata == null ? ByteString.EMPTY : metadata, hardState, entries, lastIndex, seg,
                s.end, dirtyEnd, s.crc, why, List.copyOf(snapshots));
    }

    private boolean hasSyncMarkFrom(ByteBuffer buf, int from, long seq) {
        for (int p = from; p + RecordCodec.SYNC_MARK_SIZE <= buf.limit(); p += 8) {
            if (RecordCodec.isSyncMark(crc32, buf, p, seq)) {
                return true;
            }
        }
        return false;
    }

    /** One past the last non-zero byte at or after {@code from}, or {@code from}. */
    private static long nonZeroEnd(ByteBuffer buf, int from) {
        int p = buf.limit();
        while (p - 8 >= from && buf.getLong(p - 8) == 0) {
            p -= 8;
        }
        while (p > from && buf.get(p - 1) == 0) {
            p--;
        }
        return p;
    }

    static ByteBuffer readWhole(Fs fs, Path file) throws IOException {
        try (Fs.Handle h = fs.open(file)) {
            long size = h.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new WalException("wal: segment " + file + " is too large to read (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            h.read(buf, 0);
            return buf.flip();
        }
    }
}
