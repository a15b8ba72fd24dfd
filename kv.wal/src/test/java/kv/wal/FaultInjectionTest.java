package kv.wal;

import static kv.wal.Workloads.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kv.raft.raftpb.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write or fsync failing at each call site, one run per site: the error reaches the caller, the
 * log refuses every further call, and a reopen still finds every acknowledged synced entry.
 */
class FaultInjectionTest {
    private static final ByteSize SEGMENT = ByteSize.ofKibibytes(4);

    @TempDir
    Path tmp;

    /** Runs the workload on {@code fs}; returns the last index acknowledged by a synced save, or throws at the fault. */
    private static long workload(Fs fs, WalConfig cfg, long[] acked) {
        try (Wal w = Wal.create(fs, cfg, META)) {
            for (long i = 1; i <= 40; i++) {
                boolean sync = i % 2 == 0;
                w.save(state(1, i - 1), List.of(entry(i, 1, 200)), sync);
                if (sync) {
                    acked[0] = i;
                }
                if (i == 25) {
                    w.saveSnapshot(new SnapshotPosition(20, 1));
                    w.release(20);
                }
            }
            w.sync();
            acked[0] = 40;
        }
        return acked[0];
    }

    @Test
    void everyFailingCallStopsTheLog() throws Exception {
        FaultyFs counting = new FaultyFs(Integer.MAX_VALUE);
        workload(counting, new WalConfig(tmp.resolve("count"), SEGMENT), new long[1]);
        int sites = counting.calls();
        assertTrue(sites > 50, "calls " + sites);
        Map<String, Integer> struckKinds = new TreeMap<>();
        int surfaced = 0;
        for (int n = 1; n <= sites; n++) {
            WalConfig cfg = new WalConfig(tmp.resolve("run" + n), SEGMENT);
            FaultyFs fs = new FaultyFs(n);
            long[] acked = new long[1];
            try {
                workload(fs, cfg, acked);
                // Only a preallocation nobody used may fail unseen: preparing it, or removing it at close
                // (a leftover temp file is removed by the next open).
                assertNotNull(fs.struck(), "fault " + n + " never struck");
                boolean unusedTemp = fs.struck().startsWith("delete") && fs.struck().endsWith(".tmp");
                assertTrue(unusedTemp || fs.struckOnPipeline() && !fs.usedPreallocationAfterFault(),
                        "fault " + n + " at " + fs.struck() + " did not reach the caller");
            } catch (WalFailedException e) {
                surfaced++;
                assertTrue(hasInjectedCause(e), "fault " + n + ": " + e);
            }
            struckKinds.merge(fs.struck().split(" ")[0], 1, Integer::sum);
            if (Wal.exists(cfg.dir())) {
                boolean released = SegmentName.parse(SegmentBytes.segments(cfg.dir()).getFirst().getFileName().toString())
                        .orElseThrow().firstIndex() > 0;
                try (Wal w = Wal.open(cfg, released ? new SnapshotPosition(20, 1) : SnapshotPosition.ZERO)) {
                    List<Entry> got = w.readAll().entries();
                    long last = got.isEmpty() ? (released ? 20 : 0) : got.getLast().getIndex();
                    assertTrue(last >= acked[0], "fault " + n + " at " + fs.struck() + ": acknowledged " + acked[0]
                            + " but recovered up to " + last);
                }
            }
        }
        System.out.printf("fault sites: %d, surfaced to the caller: %d, by kind: %s%n", sites, surfaced, struckKinds);
        assertTrue(struckKinds.keySet().containsAll(List.of("write", "fsync", "rename", "syncDir", "create")), struckKinds.toString());
    }

    @Test
    void afterAFailureEveryCallIsRefused() {
        WalConfig cfg = new WalConfig(tmp.resolve("refuse"), SEGMENT);
        // create fsyncs twice (the preallocated file, then its header); the third fsync is the save's
        Wal w = Wal.create(new FaultyFs("fsync", 3), cfg, META);
        w.save(state(1, 0), entries(1, 1, 1, 10), false);
        WalFailedException first = assertThrows(WalFailedException.class, () -> w.save(state(1, 0), entries(2, 2, 1, 10), true));
        assertTrue(hasInjectedCause(first), first.toString());
        List<Runnable> calls = List.of(
                () -> w.save(state(1, 0), entries(3, 3, 1, 10), false),
                () -> w.save(state(1, 0), entries(3, 3, 1, 10), true),
                () -> w.saveSnapshot(new SnapshotPosition(1, 1)),
                w::sync,
                () -> w.release(1),
                w::readAll);
        for (Runnable r : calls) {
            WalFailedException e = assertThrows(WalFailedException.class, r::run);
            assertTrue(e.getMessage().startsWith("wal: refusing to continue after an earlier failure"), e.getMessage());
        }
        w.close();
    }

    @Test
    void failedWriteIsFatalToo() {
        WalConfig cfg = new WalConfig(tmp.resolve("write"), SEGMENT);
        // create writes twice (zeros, header); the third write is the first save's
        Wal w = Wal.create(new FaultyFs("write", 3), cfg, META);
        WalFailedException e = assertThrows(WalFailedException.class, () -> w.save(state(1, 0), entries(1, 1, 1, 10), false));
        assertTrue(hasInjectedCause(e), e.toString());
        assertThrows(WalFailedException.class, () -> w.save(state(1, 0), entries(1, 1, 1, 10), false));
        w.close();
    }

    @Test
    void failureWhileCuttingATornTailIsFatal() throws Exception {
        WalConfig cfg = new WalConfig(tmp.resolve("tail"), SEGMENT);
        try (Wal w = Wal.create(cfg, META)) {
            w.save(state(1, 0), entries(1, 3, 1, 100), true);
        }
        Path last = SegmentBytes.segments(cfg.dir()).getLast();
        long[] rec = SegmentBytes.records(last).getLast();
        SegmentBytes.flip(last, rec[0] + rec[2] - 1);
        byte[] before = Files.readAllBytes(last);
        for (int n = 1; n <= 2; n++) { // the zeroing write, then its fsync
            Wal w = Wal.open(new FaultyFs(n), cfg, SnapshotPosition.ZERO);
            WalFailedException e = assertThrows(WalFailedException.class, w::readAll);
            assertTrue(hasInjectedCause(e), e.toString());
            assertThrows(WalFailedException.class, () -> w.save(state(1, 0), entries(4, 4, 1, 1), true));
            w.close();
        }
        assertTrue(Files.size(last) == before.length);
        try (Wal w = Wal.open(cfg, SnapshotPosition.ZERO)) {
            assertEquals(3, w.readAll().entries().size());
        }
    }

    private static boolean hasInjectedCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("injected fault")) {
                return true;
            }
        }
        return false;
    }
}
