package kv.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Builds the states a disk can be left in by a crash during a recorded run (after ALICE, "All File
 * Systems Are Not Created Equal", OSDI 2014): every prefix of the operations; the prefix's last
 * write torn at every 512-byte sector boundary; and, for each prefix, any subset of the writes not
 * yet covered by an fsync of their file dropped (the disk reordered them). Directory operations are
 * applied in order. A state is materialized as real files.
 */
final class CrashStates {
    static final int SECTOR = 512;
    private static final int MAX_EXHAUSTIVE = 8;
    private static final int SAMPLED_SUBSETS = 64;

    /** One crash state: the first {@code prefix} operations, minus {@code dropped}, with {@code torn} cut to {@code keep} bytes. */
    record State(int prefix, Set<Integer> dropped, int torn, int keep) {
        @Override
        public String toString() {
            return "prefix " + prefix + (dropped.isEmpty() ? "" : " dropping writes " + dropped)
                    + (torn < 0 ? "" : " with write " + torn + " torn after " + keep + " bytes");
        }
    }

    private CrashStates() {}

    /** Calls {@code sink} with every crash state of {@code ops}. */
    static void forEach(List<RecordingFs.Op> ops, long seed, Consumer<State> sink) {
        Random rnd = new Random(seed);
        for (int p = 0; p <= ops.size(); p++) {
            sink.accept(new State(p, Set.of(), -1, 0));
            List<Integer> unsynced = unsyncedWrites(ops, p);
            if (p > 0 && ops.get(p - 1) instanceof RecordingFs.Op.Write w) {
                long end = w.position() + w.data().length;
                for (long b = (w.position() / SECTOR + 1) * SECTOR; b < end; b += SECTOR) {
                    sink.accept(new State(p, Set.of(), p - 1, (int) (b - w.position())));
                    // the torn write may also have overtaken earlier unsynced writes
                    for (int u : unsynced) {
                        if (u != p - 1) {
                            sink.accept(new State(p, Set.of(u), p - 1, (int) (b - w.position())));
                        }
                    }
                }
            }
            if (unsynced.size() <= MAX_EXHAUSTIVE) {
                for (int mask = 1; mask < (1 << unsynced.size()); mask++) {
                    sink.accept(new State(p, pick(unsynced, mask), -1, 0));
                }
            } else {
                for (int i = 0; i < SAMPLED_SUBSETS; i++) {
                    Set<Integer> d = new TreeSet<>();
                    for (int u : unsynced) {
                        if (rnd.nextBoolean()) {
                            d.add(u);
                        }
                    }
                    sink.accept(new State(p, d, -1, 0));
                }
            }
        }
    }

    private static Set<Integer> pick(List<Integer> from, int mask) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < from.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                s.add(from.get(i));
            }
        }
        return s;
    }

    /** Indices of the writes among the first {@code prefix} ops that no later fsync of their file covers. */
    static List<Integer> unsyncedWrites(List<RecordingFs.Op> ops, int prefix) {
        Map<Integer, Integer> lastForce = new HashMap<>();
        for (int i = 0; i < prefix; i++) {
            if (ops.get(i) instanceof RecordingFs.Op.Force f) {
                lastForce.put(f.file(), i);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            if (ops.get(i) instanceof RecordingFs.Op.Write w && lastForce.getOrDefault(w.file(), -1) < i) {
                out.add(i);
            }
        }
        return out;
    }

    /** Writes the files of {@code state} under {@code root} (which must be empty). */
    static void materialize(List<RecordingFs.Op> ops, State state, Path root) throws IOException {
        Map<Integer, byte[]> content = new HashMap<>();
        Map<Path, Integer> names = new HashMap<>();
        for (int i = 0; i < state.prefix(); i++) {
            switch (ops.get(i)) {
                case RecordingFs.Op.Create c -> {
                    content.put(c.file(), new byte[0]);
                    names.put(c.path(), c.file());
                }
                case RecordingFs.Op.Write w -> {
                    if (!state.dropped().contains(i)) {
                        byte[] data = i == state.torn() ? Arrays.copyOf(w.data(), state.keep()) : w.data();
                        content.put(w.file(), writeAt(content.get(w.file()), w.position(), data));
                    }
                }
                case RecordingFs.Op.Truncate t -> content.put(t.file(), Arrays.copyOf(content.get(t.file()), (int) t.size()));
                case RecordingFs.Op.Rename r -> names.put(r.to(), names.remove(r.from()));
                case RecordingFs.Op.Delete d -> names.remove(d.path());
                case RecordingFs.Op.Force f -> { }
                case RecordingFs.Op.SyncDir s -> { }
            }
        }
        for (Map.Entry<Path, Integer> e : names.entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, content.get(e.getValue()));
        }
    }

    private static byte[] writeAt(byte[] file, long position, byte[] data) {
        int end = (int) position + data.length;
        byte[] out = end > file.length ? Arrays.copyOf(file, end) : file;
        System.arraycopy(data, 0, out, (int) position, data.length);
        return out;
    }
}
