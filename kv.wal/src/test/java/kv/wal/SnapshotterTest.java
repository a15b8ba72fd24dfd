package kv.wal;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
    @TempDir
    Path dir;

    private static Snapshot snap(long term, long index, String data) {
        return Snapshot.newBuilder().setData(ByteString.copyFromUtf8(data)).setMetadata(SnapshotMetadata.newBuilder()
                .setTerm(term).setIndex(index).setConfState(ConfState.newBuilder().addVoters(1).addVoters(2))).build();
    }

    @Test
    void savesAtomicallyNamedByTermAndIndexAndLoadsTheNewest() throws Exception {
        Snapshotter s = new Snapshotter(dir.resolve("snap"));
        assertTrue(s.loadNewest().snapshot().isEmpty());
        Path a = s.save(snap(1, 10, "a"));
        Path b = s.save(snap(2, 25, "b"));
        s.save(snap(2, 20, "c"));
        assertEquals("0000000000000001-000000000000000a.snap", a.getFileName().toString());
        assertEquals("0000000000000002-0000000000000019.snap", b.getFileName().toString());
        try (Stream<Path> files = Files.list(dir.resolve("snap"))) {
            assertEquals(3, files.count(), "no temp files left");
        }
        SnapshotLoad l = s.loadNewest();
        assertEquals(snap(2, 25, "b"), l.snapshot().orElseThrow());
        assertEquals(b, l.file().orElseThrow());
        assertEquals(List.of(), l.corrupt());
        assertEquals(snap(2, 20, "c"), s.loadNewest(m -> m.getIndex() < 25).snapshot().orElseThrow());
    }

    @Test
    void corruptSnapshotIsReportedAndSkipped() throws Exception {
        Snapshotter s = new Snapshotter(dir);
        Path old = s.save(snap(1, 10, "old"));
        Path newest = s.save(snap(1, 30, "newest"));
        SegmentBytes.flip(newest, Files.size(newest) - 2);
        Path truncated = s.save(snap(2, 5, "short"));
        byte[] t = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(t, t.length - 3));
        SnapshotLoad l = s.loadNewest();
        assertEquals(snap(1, 10, "old"), l.snapshot().orElseThrow());
        assertEquals(old, l.file().orElseThrow());
        assertEquals(List.of(truncated, newest), l.corrupt());
    }

    @Test
    void renamedSnapshotIsCorrupt() throws Exception {
        Snapshotter s = new Snapshotter(dir);
        Path f = s.save(snap(1, 10, "x"));
        Files.move(f, dir.resolve(Snapshotter.fileName(1, 11)));
        assertEquals(1, s.loadNewest().corrupt().size());
        assertTrue(s.loadNewest().snapshot().isEmpty());
    }

    @Test
    void loadsTheNewestSnapshotTheWalRecordedAsCommitted() {
        WalConfig cfg = new WalConfig(dir.resolve("wal"), ByteSize.ofKibibytes(8));
        Snapshotter s = new Snapshotter(dir.resolve("snap"));
        try (Wal w = Wal.create(cfg, Workloads.META)) {
            w.save(Workloads.state(1, 10), Workloads.entries(1, 12, 1, 10), true);
            s.save(snap(1, 5, "five"));
            w.saveSnapshot(new SnapshotPosition(5, 1));
            s.save(snap(1, 10, "ten"));
            w.saveSnapshot(new SnapshotPosition(10, 1));
            // saved as a file but the commit index never reached it
            s.save(snap(1, 12, "twelve"));
            w.saveSnapshot(new SnapshotPosition(12, 1));
            // a file whose mark never reached the WAL
            s.save(snap(2, 11, "unrecorded"));
        }
        List<SnapshotPosition> valid = Wal.snapshotPositions(cfg);
        assertEquals(List.of(SnapshotPosition.ZERO, new SnapshotPosition(5, 1), new SnapshotPosition(10, 1)), valid);
        SnapshotLoad l = s.loadNewest(m -> valid.contains(new SnapshotPosition(m.getIndex(), m.getTerm())));
        assertEquals(snap(1, 10, "ten"), l.snapshot().orElseThrow());
        try (Wal w = Wal.open(cfg, new SnapshotPosition(10, 1))) {
            assertEquals(2, w.readAll().entries().size());
        }
    }

    @Test
    void emptySnapshotIsRefused() {
        Snapshotter s = new Snapshotter(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.save(snap(0, 0, "")));
        assertEquals("snap: empty snapshot", e.getMessage());
    }
}
