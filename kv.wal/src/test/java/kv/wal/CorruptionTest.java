package kv.wal;

import static kv.wal.Workloads.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage to durable records fails the open naming file and offset and changes nothing; a torn tail is cut and reported. */
class CorruptionTest {
    @TempDir
    Path tmp;

    private WalConfig cfg;

    /** 30 synced saves of one 300-byte entry each over 8 KiB segments: several segments. */
    private void write(int saves) {
        cfg = new WalConfig(tmp.resolve("wal"), ByteSize.ofKibibytes(8));
        try (Wal w = Wal.create(cfg, META)) {
            for (long i = 1; i <= saves; i++) {
                w.save(state(1, i - 1), List.of(entry(i, 1, 300)), true);
            }
        }
    }

    private WalContents openAndRead() {
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            return w.readAll();
        }
    }

    /** The offset of the {@code n}-th entry record of a segment. */
    private static long[] entryRecord(Path segment, int n) throws Exception {
        return SegmentBytes.records(segment).stream().filter(r -> r[1] == RecordCodec.ENTRY).skip(n).findFirst().orElseThrow();
    }

    private void assertCorruptAt(Path file, long offset) throws Exception {
        List<byte[]> before = SegmentBytes.contents(cfg.dir());
        WalCorruptException e = assertThrows(WalCorruptException.class, this::openAndRead);
        assertEquals(file, e.file());
        assertEquals(offset, e.offset());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset " + offset), e.getMessage());
        List<byte[]> after = SegmentBytes.contents(cfg.dir());
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "nothing may be truncated on corruption");
        }
        WalCorruptException r = assertThrows(WalCorruptException.class, () -> Wal.repair(cfg));
        assertEquals(offset, r.offset(), "repair does not repair corruption");
    }

    @Test
    void flippedByteInAFullSegment() throws Exception {
        write(30);
        Path first = SegmentBytes.segments(cfg.dir()).getFirst();
        long[] rec = entryRecord(first, 3);
        SegmentBytes.flip(first, rec[0] + rec[2] / 2);
        assertCorruptAt(first, rec[0]);
    }

    @Test
    void flippedByteInTheLastSegmentBeforeSyncedRecords() throws Exception {
        write(30);
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        long[] rec = entryRecord(last, 1);
        SegmentBytes.flip(last, rec[0] + 20);
        assertCorruptAt(last, rec[0]);
    }

    @Test
    void zeroedRecordBeforeSyncedRecords() throws Exception {
        write(30);
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        long[] rec = entryRecord(last, 0);
        SegmentBytes.zero(last, rec[0], rec[0] + rec[2]);
        assertCorruptAt(last, rec[0]);
    }

    @Test
    void zeroedEndOfAFullSegment() throws Exception {
        write(30);
        Path first = SegmentBytes.segments(cfg.dir()).getFirst();
        List<long[]> recs = SegmentBytes.records(first);
        long[] lastRec = recs.getLast();
        SegmentBytes.zero(first, lastRec[0], lastRec[0] + lastRec[2]);
        assertCorruptAt(first, lastRec[0]);
    }

    @Test
    void flippedHeaderOfTheLastSegment() throws Exception {
        write(30);
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        SegmentBytes.flip(last, 30);
        assertCorruptAt(last, SegmentBytes.records(last).get(1)[0]);
    }

    @Test
    void zeroedTailIsCutAndReported() throws Exception {
        write(30);
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        List<long[]> recs = SegmentBytes.records(last);
        long[] entry = entryRecord(last, (int) recs.stream().filter(r -> r[1] == RecordCodec.ENTRY).count() - 1);
        long[] end = recs.getLast();
        // the second half of the final entry and the hard state after it never reached the disk
        SegmentBytes.zero(last, entry[0] + entry[2] / 2, end[0] + end[2]);
        WalContents c = openAndRead();
        TornTail t = c.tornTail().orElseThrow();
        assertEquals(last, t.file());
        assertEquals(entry[0], t.offset());
        assertTrue(t.length() > 0 && t.length() <= entry[2] / 2, t.toString());
        assertEquals(29, c.entries().size(), "the final entry was torn");
        assertEquals(state(1, 28), c.hardState());
        WalContents again = openAndRead();
        assertTrue(again.tornTail().isEmpty(), "the tail was cut");
        assertEquals(c.entries(), again.entries());
    }

    @Test
    void repairCutsOnlyTheTail() throws Exception {
        write(30);
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        List<long[]> recs = SegmentBytes.records(last);
        long[] tail = entryRecord(last, (int) recs.stream().filter(r -> r[1] == RecordCodec.ENTRY).count() - 1);
        SegmentBytes.flip(last, tail[0] + tail[2] - 1);
        Optional<TornTail> t = Wal.repair(cfg);
        assertTrue(t.isPresent());
        assertEquals(tail[0], t.get().offset());
        assertEquals(Optional.empty(), Wal.repair(cfg));
        WalContents c = openAndRead();
        assertTrue(c.tornTail().isEmpty());
        assertEquals(29, c.entries().size());
    }
}
