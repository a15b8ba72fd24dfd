package kv.wal;

import static kv.wal.Workloads.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
    @TempDir
    Path dir;

    private WalConfig small() {
        return new WalConfig(dir.resolve("wal"), ByteSize.ofKibibytes(8));
    }

    private List<String> segmentFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void roundTripAfterCleanClose() {
        WalConfig cfg = small();
        assertFalse(Wal.exists(cfg.dir()));
        try (Wal w = Wal.create(cfg, META)) {
            w.save(state(1, 0), entries(1, 3, 1, 100), true);
            w.save(state(1, 2), List.of(), false);
            w.save(HardState.getDefaultInstance(), entries(4, 5, 1, 10), true);
        }
        assertTrue(Wal.exists(cfg.dir()));
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            WalContents c = w.readAll();
            assertEquals(META, c.metadata());
            assertEquals(state(1, 2), c.hardState());
            assertEquals(apply(entries(1, 3, 1, 100), entries(4, 5, 1, 10)), c.entries());
            assertTrue(c.tornTail().isEmpty());
            assertEquals(5, c.lastIndex(0));
            w.save(state(2, 5), entries(6, 6, 2, 1), true);
        }
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            WalContents c = w.readAll();
            assertEquals(6, c.entries().size());
            assertEquals(state(2, 5), c.hardState());
        }
    }

    @Test
    void segmentNamesAreSequenceAndFirstIndex() throws Exception {
        WalConfig cfg = small();
        try (Wal w = Wal.create(cfg, META)) {
            assertEquals(List.of("0000000000000001-0000000000000000.wal"), segmentFiles());
            for (long i = 1; i <= 40; i++) {
                w.save(state(1, i - 1), List.of(entry(i, 1, 500)), i % 3 == 0);
            }
        }
        List<String> files = segmentFiles();
        assertTrue(files.size() >= 3, files.toString());
        for (int i = 0; i < files.size(); i++) {
            SegmentName n = SegmentName.parse(files.get(i)).orElseThrow();
            assertEquals(i + 1, n.seq());
            assertEquals(8 * 1024, Files.size(dir.resolve("wal").resolve(files.get(i))), "preallocated to the segment size");
        }
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            WalContents c = w.readAll();
            assertEquals(entries(1, 40, 1, 500).stream().map(Entry::getIndex).toList(),
                    c.entries().stream().map(Entry::getIndex).toList());
            assertEquals(entries(1, 40, 1, 500), c.entries());
            assertEquals(state(1, 39), c.hardState());
        }
    }

    @Test
    void truncatedLogIsReadAsRaftLeftIt() {
        WalConfig cfg = small();
        List<Entry> model = new ArrayList<>();
        try (Wal w = Wal.create(cfg, META)) {
            List<List<Entry>> batches = List.of(entries(1, 10, 1, 300), entries(6, 8, 2, 300), entries(9, 20, 2, 300),
                    entries(15, 15, 3, 300));
            for (List<Entry> b : batches) {
                w.save(state(3, 1), b, true);
                model = apply(model, b);
            }
        }
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            assertEquals(model, w.readAll().entries());
        }
    }

    @Test
    void openAtSnapshotAndRelease() throws Exception {
        WalConfig cfg = small();
        try (Wal w = Wal.create(cfg, META)) {
            for (long i = 1; i <= 60; i++) {
                w.save(state(1, i), List.of(entry(i, 1, 400)), true);
                if (i == 30) {
                    w.saveSnapshot(new SnapshotPosition(30, 1));
                }
            }
            int before = segmentFiles().size();
            w.release(30);
            List<String> after = segmentFiles();
            assertTrue(after.size() < before, before + " -> " + after);
            SegmentName first = SegmentName.parse(after.getFirst()).orElseThrow();
            assertTrue(first.firstIndex() <= 30, after.toString());
            SegmentName second = SegmentName.parse(after.get(1)).orElseThrow();
            assertTrue(second.firstIndex() > 30, after.toString());
        }
        WalException notFound = assertThrows(WalException.class, () -> {
            try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
                w.readAll();
            }
        });
        assertTrue(notFound.getMessage().contains("wal: file not found"), notFound.getMessage());
        try (Wal w = Wal.open(cfg, new SnapshotPosition(30, 1))) {
            WalContents c = w.readAll();
            assertEquals(entries(31, 60, 1, 400), c.entries());
            assertEquals(state(1, 60), c.hardState());
        }
        WalException mismatch = assertThrows(WalException.class, () -> {
            try (Wal w = Wal.open(cfg, new SnapshotPosition(30, 2))) {
                w.readAll();
            }
        });
        assertTrue(mismatch.getMessage().startsWith("wal: snapshot mismatch"), mismatch.getMessage());
        WalException missing = assertThrows(WalException.class, () -> {
            try (Wal w = Wal.open(cfg, new SnapshotPosition(31, 1))) {
                w.readAll();
            }
        });
        assertTrue(missing.getMessage().startsWith("wal: snapshot not found"), missing.getMessage());
    }

    @Test
    void secondOpenOfALockedDirectoryFails() {
        WalConfig cfg = small();
        Wal w = Wal.create(cfg, META);
        WalException e = assertThrows(WalException.class, () -> Wal.open(cfg, SnapshotPosition.ZERO));
        assertTrue(e.getMessage().contains("is locked by another process"), e.getMessage());
        assertThrows(WalException.class, () -> Wal.repair(cfg), "repair takes the lock too");
        w.close();
        Wal.open(cfg, SnapshotPosition.ZERO).close();
    }

    @Test
    void openingAMissingLogSaysSo() {
        WalException e = assertThrows(WalException.class, () -> Wal.open(small(), SnapshotPosition.ZERO));
        assertTrue(e.getMessage().startsWith("wal: file not found"), e.getMessage());
    }

    @Test
    void createRefusesAnExistingLog() {
        WalConfig cfg = small();
        Wal.create(cfg, META).close();
        WalException e = assertThrows(WalException.class, () -> Wal.create(cfg, META));
        assertTrue(e.getMessage().startsWith("wal: file already exists"), e.getMessage());
    }

    @Test
    void writingBeforeReadAllAndReadingTwiceAreRefused() {
        WalConfig cfg = small();
        Wal.create(cfg, META).close();
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            assertThrows(IllegalStateException.class, () -> w.save(state(1, 0), entries(1, 1, 1, 1), true));
            w.readAll();
            assertThrows(IllegalStateException.class, w::readAll);
        }
    }

    @Test
    void batchLargerThanASegmentGrowsIt() {
        WalConfig cfg = small();
        try (Wal w = Wal.create(cfg, META)) {
            w.save(state(1, 0), entries(1, 2, 1, 10), true);
            w.save(state(1, 0), entries(3, 40, 1, 1000), true);
            w.save(state(1, 0), entries(41, 41, 1, 10), true);
        }
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            assertEquals(41, w.readAll().entries().size());
        }
    }

    @Test
    void oneWriteAndAtMostOneFsyncPerSave() throws Exception {
        RecordingFs fs = new RecordingFs(dir);
        try (Wal w = Wal.create(fs, new WalConfig(dir.resolve("wal"), ByteSize.ofMebibytes(1)), META)) {
            long next = 1;
            for (int batch : List.of(1, 16, 256)) {
                for (boolean sync : List.of(true, false)) {
                    int before = fs.count();
                    w.save(state(1, next), entries(next, next + batch - 1, 1, 256), sync);
                    next += batch;
                    List<RecordingFs.Op> ops = fs.ops().subList(before, fs.count());
                    // the preallocation thread works on its own temp file; count only the segment's operations
                    int segment = ops.stream().filter(o -> o instanceof RecordingFs.Op.Write)
                            .map(o -> ((RecordingFs.Op.Write) o).file()).filter(id -> id == 0).toList().size();
                    long forces = ops.stream().filter(o -> o instanceof RecordingFs.Op.Force f && f.file() == 0).count();
                    assertEquals(1, segment, "writes for a batch of " + batch);
                    assertEquals(sync ? 1 : 0, forces, "fsyncs for a batch of " + batch + " sync=" + sync);
                }
            }
        }
    }

    @Test
    void configValidatesItself() {
        Path d = dir;
        assertThrows(IllegalArgumentException.class, () -> new WalConfig(d, ByteSize.ofBytes(1024)));
        assertThrows(IllegalArgumentException.class, () -> new WalConfig(d, ByteSize.ofBytes(8 * 1024 + 4)));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.ofBytes(-1));
        assertThrows(NullPointerException.class, () -> new WalConfig(null, ByteSize.ofKibibytes(64)));
        assertEquals(ByteSize.ofMebibytes(64), WalConfig.of(d).segmentSize());
        assertEquals("64MiB", ByteSize.ofMebibytes(64).toString());
    }
}
