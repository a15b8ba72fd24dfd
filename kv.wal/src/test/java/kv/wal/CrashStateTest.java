package kv.wal;

import static kv.wal.Workloads.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a workload's file operations, then checks every crash state built from them: the log
 * opens, every record covered by a completed fsync is there, and what is returned is exactly what
 * some prefix of the saved record stream left (no garbage, nothing synced dropped). After recovery
 * the log must accept appends that survive a reopen.
 */
class CrashStateTest {
    private static final ByteSize SEGMENT = ByteSize.ofKibibytes(4);
    /** More saves mean more operations and more crash states; kv.long runs a longer workload. */
    private static final int SAVES = Boolean.getBoolean("kv.long") ? 1500 : 320;
    private final NoSyncFs checkFs = new NoSyncFs();

    @TempDir
    Path tmp;

    @TempDir(factory = MemoryBackedTempDir.class)
    Path memory;

    /** The state the log is in after some prefix of the logical record stream. */
    private record Logical(List<Entry> entries, HardState hardState) {}

    /** A save (or snapshot mark, or close) that returned once {@code doneAt} operations were recorded. */
    private record Save(int records, boolean synced, int doneAt) {}

    private final List<Logical> streamStates = new ArrayList<>();
    private final List<Save> saves = new ArrayList<>();
    private int createdAt;

    @Test
    void everyCrashStateRecovers() throws Exception {
        Path recorded = tmp.resolve("recorded");
        RecordingFs fs = new RecordingFs(recorded);
        runWorkload(fs, new WalConfig(recorded.resolve("wal"), SEGMENT));
        List<RecordingFs.Op> ops = fs.ops();
        long rotations = ops.stream().filter(o -> o instanceof RecordingFs.Op.Rename).count();
        assertTrue(rotations >= 4, "the workload must rotate segments: renames " + rotations);

        Map<Logical, List<Integer>> lengths = new HashMap<>();
        for (int l = 0; l < streamStates.size(); l++) {
            lengths.computeIfAbsent(streamStates.get(l), k -> new ArrayList<>()).add(l);
        }
        Path root = memory.resolve("crash");
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger absent = new AtomicInteger();
        CrashStates.forEach(ops, 7, state -> {
            try {
                switch (check(ops, state, root, lengths, checked.get() % 4 == 0)) {
                    case ABSENT -> absent.incrementAndGet();
                    case TORN -> torn.incrementAndGet();
                    case CLEAN -> { }
                }
                checked.incrementAndGet();
            } catch (Exception | AssertionError e) {
                throw new AssertionError("crash state " + state + ": " + e, e);
            }
        });
        System.out.printf("crash states checked: %d (operations recorded %d, torn tails cut %d, before the log existed %d)%n",
                checked.get(), ops.size(), torn.get(), absent.get());
        assertTrue(checked.get() >= 1000, "checked " + checked.get());
        assertTrue(torn.get() > 0, "some states must have a torn tail");
    }

    private enum Outcome { ABSENT, TORN, CLEAN }

    private Outcome check(List<RecordingFs.Op> ops, CrashStates.State state, Path root, Map<Logical, List<Integer>> lengths,
                          boolean appendAfter) throws IOException {
        deleteTree(root);
        Files.createDirectories(root.resolve("wal"));
        CrashStates.materialize(ops, state, root);
        WalConfig cfg = new WalConfig(root.resolve("wal"), SEGMENT);
        if (!Wal.exists(cfg.dir())) {
            assertTrue(state.prefix() < createdAt, "the log vanished after create returned");
            return Outcome.ABSENT;
        }
        int floor = floor(state.prefix());
        WalContents c;
        try (Wal w = Wal.open(checkFs, cfg, SnapshotPosition.ZERO)) {
            c = w.readAll();
            Logical got = new Logical(c.entries(), c.hardState());
            List<Integer> ls = lengths.get(got);
            assertNotNull(ls, "recovered a state no prefix of the saved records explains: " + describe(got));
            assertTrue(ls.getLast() >= floor, "synced records lost: recovered " + ls + " records, synced " + floor);
            if (appendAfter) {
                long next = c.lastIndex(0) + 1;
                w.save(state(99, 0), List.of(entry(next, 99, 77)), true);
            }
        }
        if (appendAfter) {
            try (Wal w = Wal.open(checkFs, cfg, SnapshotPosition.ZERO)) {
                List<Entry> again = w.readAll().entries();
                assertEquals(entry(c.lastIndex(0) + 1, 99, 77), again.getLast());
                assertEquals(c.entries(), again.subList(0, again.size() - 1));
            }
        }
        return c.tornTail().isPresent() ? Outcome.TORN : Outcome.CLEAN;
    }

    /** How many stream records every crash state with this prefix must keep. */
    private int floor(int prefix) {
        int floor = 0;
        for (Save s : saves) {
            if (s.synced && s.doneAt <= prefix) {
                floor = Math.max(floor, s.records);
            }
        }
        return floor;
    }

    private void runWorkload(RecordingFs fs, WalConfig cfg) {
        Random rnd = new Random(42);
        List<Entry> log = new ArrayList<>();
        HardState hs = HardState.getDefaultInstance();
        streamStates.add(new Logical(List.copyOf(log), hs));
        Wal w = Wal.create(fs, cfg, META);
        createdAt = fs.count();
        long next = 1;
        long term = 1;
        int unsyncedRun = 0;
        for (int k = 0; k < SAVES; k++) {
            int n = 1 + rnd.nextInt(4);
            long start = next;
            if (k % 23 == 12) {
                start = next - 2; // raft overwrites its uncommitted tail in a new term
                term++;
            }
            List<Entry> batch = entries(start, start + n - 1, term, 120 + rnd.nextInt(300));
            boolean sync = unsyncedRun >= 4 || rnd.nextInt(2) != 0;
            unsyncedRun = sync ? 0 : unsyncedRun + 1;
            hs = state(term, Math.max(0, start - 2));
            w.save(hs, batch, sync);
            for (Entry e : batch) {
                log = apply(log, List.of(e));
                streamStates.add(new Logical(List.copyOf(log), streamStates.getLast().hardState()));
            }
            streamStates.add(new Logical(List.copyOf(log), hs));
            saves.add(new Save(streamStates.size() - 1, sync, fs.count()));
            next = start + n;
            if (k % 31 == 17) {
                w.saveSnapshot(new SnapshotPosition(next - 3, term));
                saves.add(new Save(streamStates.size() - 1, true, fs.count()));
            }
        }
        w.close();
        saves.add(new Save(streamStates.size() - 1, true, fs.count()));
    }

    private static String describe(Logical l) {
        return l.entries().stream().map(e -> e.getIndex() + "/" + e.getTerm()).toList() + " " + l.hardState().toString().replace('\n', ' ');
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
