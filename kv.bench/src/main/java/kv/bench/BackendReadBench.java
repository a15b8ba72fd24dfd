package kv.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kv.backend.Backend;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reads over {@code keys} preloaded 16-byte keys with 256-byte values (1,000,000 by default,
 * loaded once per trial in 100,000-put transactions): a random point get in its own read
 * transaction, and a cursor scan of 1,000 consecutive keys from a random start.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class BackendReadBench {
    static final int SCAN = 1_000;
    private static final int LOAD_BATCH = 100_000;

    @Param({"jbolt", "rocksdb", "lmdb"})
    public String engine;

    @Param({"1000000"})
    public int keys;

    private Path dir;
    private Backend backend;
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void load() {
        dir = ScratchDir.create("kv-bench-read-" + engine);
        backend = Engines.openWithBucket(engine, dir, Durability.NO_SYNC);
        byte[] value = Keys.value(3);
        for (int from = 0; from < keys; from += LOAD_BATCH) {
            try (WriteTx tx = backend.beginWrite()) {
                for (int i = from; i < Math.min(keys, from + LOAD_BATCH); i++) {
                    tx.put(Engines.BUCKET, Keys.key(i), value);
                }
                tx.commit(Durability.NO_SYNC);
            }
        }
        backend.sync();
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        ScratchDir.delete(dir);
    }

    @Benchmark
    public byte[] randomGet() {
        try (ReadTx tx = backend.beginRead()) {
            byte[] v = tx.get(Engines.BUCKET, Keys.key(random.nextInt(keys)));
            if (v == null) {
                throw new IllegalStateException("a preloaded key is missing from " + engine);
            }
            return v;
        }
    }

    /** Time per 1,000-key scan (not per key). */
    @Benchmark
    public void scan1000(Blackhole bh) {
        int start = random.nextInt(Math.max(1, keys - SCAN));
        int seen = 0;
        try (ReadTx tx = backend.beginRead(); Cursor c = tx.cursor(Engines.BUCKET)) {
            for (boolean ok = c.seek(Keys.key(start)); ok && seen < SCAN; ok = c.next()) {
                bh.consume(c.key());
                bh.consume(c.value());
                seen++;
            }
        }
        if (seen != Math.min(SCAN, keys - start)) {
            throw new IllegalStateException(engine + " scanned " + seen + " keys from " + start);
        }
    }
}
