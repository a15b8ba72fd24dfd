package kv.backend.jbolt;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import kv.backend.Cursor;
import kv.backend.Durability;

/**
 * A plain benchmark (not a test): puts of 256-byte values, sequential and random, in transactions
 * of 1 and of 10,000 puts, with and without fsync; random point gets over 1,000,000 keys; scans of
 * 1,000 keys. Prints one table. Run:
 *
 * <pre>{@code java -cp target/classes:target/test-classes:<kv.backend jar> kv.backend.jbolt.JboltBench [dir]}</pre>
 */
public final class JboltBench {
    private static final int MILLION = 1_000_000;
    private static final byte[] VALUE = new byte[256];

    private JboltBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")), "jbolt-bench");
        new Random(1).nextBytes(VALUE);
        System.out.printf("%-34s %12s %14s%n", "workload", "ops", "ops/s");
        try {
            for (Durability d : Durability.values()) {
                int singles = d == Durability.SYNC ? 2_000 : 20_000;
                puts(dir, "put seq, 1/tx, " + d, d, singles, 1, false);
                puts(dir, "put random, 1/tx, " + d, d, singles, 1, true);
                puts(dir, "put seq, 10k/tx, " + d, d, MILLION, 10_000, false);
                puts(dir, "put random, 10k/tx, " + d, d, MILLION, 10_000, true);
            }
            Path file = dir.resolve("read.db");
            try (JboltDb db = JboltDb.open(file, new JboltOptions(4096, Durability.NO_SYNC))) {
                load(db, MILLION, 10_000, true);
                gets(db);
                scans(db);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static byte[] key(long i, boolean random) {
        return ByteBuffer.allocate(8).putLong(random ? i * 0x9E3779B97F4A7C15L : i).array();
    }

    private static void puts(Path dir, String name, Durability d, int n, int perTx, boolean random) throws Exception {
        Path file = dir.resolve("put.db");
        Files.deleteIfExists(file);
        try (JboltDb db = JboltDb.open(file, new JboltOptions(4096, d))) {
            long t0 = System.nanoTime();
            load(db, n, perTx, random);
            report(name, n, System.nanoTime() - t0);
        }
        Files.deleteIfExists(file);
    }

    private static void load(JboltDb db, int n, int perTx, boolean random) {
        for (int start = 0; start < n; start += perTx) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("bench");
                for (int i = start; i < Math.min(n, start + perTx); i++) {
                    b.put(key(i, random), VALUE);
                }
                tx.commit();
            }
        }
    }

    private static void gets(JboltDb db) {
        Random r = new Random(7);
        int n = 2 * MILLION;
        long t0 = System.nanoTime();
        long found = 0;
        try (JboltTx tx = db.begin(false)) {
            JboltBucket b = tx.bucket("bench");
            for (int i = 0; i < n; i++) {
                found += b.get(key(r.nextInt(MILLION), true)) != null ? 1 : 0;
            }
        }
        if (found != n) {
            throw new AssertionError("found " + found + " of " + n);
        }
        report("get random, 1M keys", n, System.nanoTime() - t0);
    }

    private static void scans(JboltDb db) {
        Random r = new Random(9);
        int n = 5_000;
        long keys = 0;
        long t0 = System.nanoTime();
        try (JboltTx tx = db.begin(false); Cursor c = tx.bucket("bench").cursor()) {
            for (int i = 0; i < n; i++) {
                byte[] from = new byte[8];
                r.nextBytes(from);
                int k = 0;
                for (boolean ok = c.seek(from); ok && k < 1000; ok = c.next()) {
                    c.key();
                    c.value();
                    k++;
                }
                keys += k;
            }
        }
        report("scan 1,000 keys (scans)", n, System.nanoTime() - t0);
        System.out.printf("%-34s %12d %14.0f%n", "  of which keys read", keys, keys / ((System.nanoTime() - t0) / 1e9));
    }

    private static void report(String name, long ops, long nanos) {
        System.out.printf("%-34s %12d %14.0f%n", name, ops, ops / (nanos / 1e9));
    }
}
