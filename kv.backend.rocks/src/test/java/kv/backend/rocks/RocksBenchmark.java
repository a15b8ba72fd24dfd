package kv.backend.rocks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.backend.spi.BackendProvider;

/**
 * A plain benchmark of the rocksdb engine with the workloads every engine is measured on:
 * sequential and random puts of 256-byte values in transactions of 1 and 10,000 puts, with and
 * without fsync; random point gets over 1,000,000 keys; range scans of 1,000 keys. Prints one line
 * per workload. Run from the module directory after building it:
 *
 * <pre>{@code
 * ../mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * $JAVA25/bin/java -Xmx2g <the parent POM's kv.test.jvm.args> \
 *     -cp target/classes:target/test-classes:$(cat target/bench.cp) kv.backend.rocks.RocksBenchmark [dir]
 * }</pre>
 *
 * Not a test: it makes no assertions on speed.
 */
public final class RocksBenchmark {
    private static final int VALUE_SIZE = 256;
    private static final int KEYS = 1_000_000;
    private static final long BUDGET_NANOS = 4_000_000_000L;
    /** Distinct random values, so that compression sees realistic (incompressible) data. */
    private static final byte[][] VALUES = values();

    private RocksBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("kv-bench-rocksdb");
        run(new RocksProvider(), root);
    }

    static void run(BackendProvider provider, Path root) throws IOException {
        System.out.printf("engine %s (%s), values %d bytes%n", provider.name(), provider.version(), VALUE_SIZE);
        for (Durability d : Durability.values()) {
            for (int txSize : new int[] {1, 10_000}) {
                for (boolean random : new boolean[] {false, true}) {
                    Path dir = root.resolve("put-" + d + "-" + txSize + "-" + random);
                    try (Backend b = provider.open(BackendConfig.of(dir).withDurability(d))) {
                        puts(b, txSize, random, d);
                    }
                }
            }
        }
        try (Backend b = provider.open(BackendConfig.of(root.resolve("read")).withDurability(Durability.NO_SYNC))) {
            load(b);
            gets(b);
            scans(b);
        }
    }

    private static byte[][] values() {
        Random r = new Random(1);
        byte[][] v = new byte[4096][VALUE_SIZE];
        for (byte[] x : v) {
            r.nextBytes(x);
        }
        return v;
    }

    private static byte[] value(long i) {
        return VALUES[(int) (i & 4095)];
    }

    private static byte[] key(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    /** A key spread over the key space by a bijective scramble of {@code i}. */
    private static byte[] randomKey(long i) {
        return key(i * 0x9E3779B97F4A7C15L);
    }

    private static void puts(Backend b, int txSize, boolean random, Durability d) {
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("b");
            tx.commit();
        }
        long puts = 0;
        long txs = 0;
        long start = System.nanoTime();
        long maxPuts = txSize == 1 ? 200_000 : 1_000_000;
        while (System.nanoTime() - start < BUDGET_NANOS && puts < maxPuts) {
            try (WriteTx tx = b.beginWrite()) {
                for (int i = 0; i < txSize; i++, puts++) {
                    tx.put("b", random ? randomKey(puts) : key(puts), value(puts));
                }
                tx.commit(d);
            }
            txs++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-8s %-6s puts, %5d per tx: %,12.0f puts/s %,10.0f tx/s  (%,d puts in %.1f s)%n",
                d, random ? "random" : "seq", txSize, puts / secs, txs / secs, puts, secs);
    }

    private static void load(Backend b) {
        long start = System.nanoTime();
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("r");
            tx.commit();
        }
        for (int from = 0; from < KEYS; from += 10_000) {
            try (WriteTx tx = b.beginWrite()) {
                for (int i = from; i < from + 10_000; i++) {
                    tx.put("r", key(i), value(i));
                }
                tx.commit();
            }
        }
        b.sync();
        System.out.printf("loaded %,d keys in %.1f s, %,d bytes on disk%n", KEYS, (System.nanoTime() - start) / 1e9, b.sizeOnDisk());
    }

    private static void gets(Backend b) {
        Random r = new Random(3);
        long gets = 0;
        long found = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < BUDGET_NANOS) {
            try (ReadTx tx = b.beginRead()) {
                for (int i = 0; i < 10_000; i++, gets++) {
                    if (tx.get("r", key(r.nextInt(KEYS))) != null) {
                        found++;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("random gets over %,d keys: %,12.0f gets/s (%,d found)%n", KEYS, gets / secs, found);
    }

    private static void scans(Backend b) {
        Random r = new Random(4);
        long scans = 0;
        long entries = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < BUDGET_NANOS) {
            try (ReadTx tx = b.beginRead(); Cursor c = tx.cursor("r")) {
                int n = 0;
                for (boolean ok = c.seek(key(r.nextInt(KEYS - 1_000))); ok && n < 1_000; ok = c.next(), n++) {
                    entries += c.value().length > 0 ? 1 : 0;
                }
            }
            scans++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("range scans of 1,000 keys: %,10.0f scans/s %,12.0f keys/s%n", scans / secs, entries / secs);
    }
}
