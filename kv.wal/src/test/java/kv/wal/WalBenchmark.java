package kv.wal;

import static kv.wal.Workloads.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * Benchmark (not a test): appends 256-byte entries with an fsync per save in batches of 1, 16 and
 * 256, next to the raw fdatasync rate of the same disk measured in the same run (a loop of one
 * 256-byte write into a preallocated file and {@code force(false)}). Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -B -pl kv.wal test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp kv.wal/target/classes:kv.wal/target/test-classes:$(cat kv.wal/target/cp.txt) \
 *     kv.wal.WalBenchmark /var/tmp/kv-wal-bench 9
 * </pre>
 *
 * Arguments: a scratch directory on the disk to measure (emptied first), and the number of rounds
 * (half-second slices of each loop per round; batches of 16 and 256 run for that many seconds).
 */
public final class WalBenchmark {
    private static final int ENTRY = 256;
    /** Seconds per measured slice: short slices interleave the loops finely against outside load. */
    private static final double SLICE = 0.5;

    private WalBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/wal-bench");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        deleteTree(dir);
        Files.createDirectories(dir);
        // Raw and batch-1 runs alternate in half-second slices, so that other load on the disk hits both
        // alike. The second raw loop writes as many bytes per fsync as a batch-1 save does (sync mark,
        // entry and hard state records), which is the like-for-like comparison.
        int walBytes = batchBytes(1);
        try (Raw raw = new Raw(dir.resolve("raw"), ENTRY); Raw same = new Raw(dir.resolve("raw-same"), walBytes);
             Appender one = new Appender(dir.resolve("wal-1"), 1)) {
            raw.run(1);
            same.run(1);
            one.run(3); // warm-up, and lets the first preallocation of the next segment finish
            double[] rawRates = new double[rounds];
            double[] sameRates = new double[rounds];
            double[] walRates = new double[rounds];
            java.util.Random order = new java.util.Random(1);
            for (int i = 0; i < rounds; i++) {
                // a random order in each round, so that neither loop always follows the other
                for (int which : order.ints(0, 3).distinct().limit(3).toArray()) {
                    switch (which) {
                        case 0 -> rawRates[i] = raw.run(SLICE);
                        case 1 -> sameRates[i] = same.run(SLICE);
                        default -> walRates[i] = one.run(SLICE);
                    }
                }
            }
            double r = median(rawRates);
            double rs = median(sameRates);
            double w = median(walRates);
            System.out.printf("raw write(%d B)+fdatasync: %7.0f fsyncs/s (median of %d half-second slices)%n", ENTRY, r, rounds);
            System.out.printf("raw write(%d B)+fdatasync: %7.0f fsyncs/s (the bytes of one batch-1 save)%n", walBytes, rs);
            System.out.printf("wal batch   1: %9.0f entries/s %7.0f fsyncs/s (median, interleaved with raw)%n", w, w);
            System.out.printf("wal batch 1 reaches %.1f %% of the raw %d-byte fsync rate, %.1f %% of the raw %d-byte rate%n",
                    100 * w / r, ENTRY, 100 * w / rs, walBytes);
        }
        for (int batch : List.of(16, 256)) {
            try (Appender a = new Appender(dir.resolve("wal-" + batch), batch)) {
                a.run(1);
                double saves = a.run(rounds);
                System.out.printf("wal batch %3d: %9.0f entries/s %7.0f fsyncs/s%n", batch, saves * batch, saves);
            }
        }
        deleteTree(dir);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** What one save of {@code batch} entries writes: a sync mark, the entry records, the hard state record. */
    static int batchBytes(int batch) {
        Entry e = entries(1, 1, 1, ENTRY).getFirst();
        HardState hs = HardState.newBuilder().setTerm(1).setVote(1).setCommit(1000).build();
        return RecordCodec.SYNC_MARK_SIZE + batch * RecordCodec.sizeOfEntry(e) + RecordCodec.size(hs.getSerializedSize());
    }

    /** A loop of one small write into a preallocated file and {@code force(false)}. */
    private static final class Raw implements AutoCloseable {
        private static final long SIZE = 64L << 20;
        private final FileChannel ch;
        private final ByteBuffer rec;
        private final int size;
        private long pos;

        Raw(Path file, int size) throws IOException {
            this.size = size;
            this.rec = ByteBuffer.allocateDirect(size);
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long p = 0; p < SIZE; p += zeros.capacity()) {
                ch.write(zeros.clear(), p);
            }
            ch.force(false);
        }

        /** fsyncs per second over {@code seconds}. */
        double run(double seconds) throws IOException {
            long n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                if (pos + size > SIZE) {
                    pos = 0;
                }
                rec.clear().put(0, (byte) n);
                ch.write(rec, pos);
                ch.force(false);
                pos += size;
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Saves of {@code batch} 256-byte entries with mustSync into a WAL with the default configuration. */
    private static final class Appender implements AutoCloseable {
        private final Wal wal;
        private final List<Entry> proto;
        private long next = 1;

        Appender(Path dir, int batch) {
            wal = Wal.create(WalConfig.of(dir), META);
            proto = entries(1, batch, 1, ENTRY);
        }

        /** Saves (= fsyncs) per second over {@code seconds}. */
        double run(double seconds) {
            long saves = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                List<Entry> b = new ArrayList<>(proto.size());
                for (Entry e : proto) {
                    b.add(e.toBuilder().setIndex(next++).build());
                }
                wal.save(HardState.newBuilder().setTerm(1).setVote(1).setCommit(next - 1).build(), b, true);
                saves++;
            }
            return saves / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() {
            wal.close();
        }
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
