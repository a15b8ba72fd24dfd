package kv.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kv.backend.Backend;
import kv.backend.Durability;
import kv.backend.WriteTx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Puts of 256-byte values under 16-byte keys, one engine per fork, into a store that starts empty
 * at each trial. Sequential keys append; random keys land anywhere in a 64-bit space. A transaction
 * holds 1 or 10,000 puts and commits with the {@code durability} parameter; the score is the time
 * per put (10,000-put transactions report the transaction time divided by 10,000).
 *
 * <p>A 10,000-put iteration times exactly one transaction rather than running for a fixed time:
 * the store grows as the trial goes on, and only a fixed amount of work per iteration makes every
 * engine measure the same store sizes (a slower engine would otherwise be measured on a smaller
 * store). Its ten warm-up transactions also give the Java engine's code time to be compiled before
 * it is measured (the native engines need none), and the store then holds 100,000 keys before the
 * first measured transaction. One-put transactions are too short to time alone and barely grow
 * the store, so they run for a fixed time. Compare engines over several forks: JMH's error is
 * within one fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class BackendWriteBench {
    static final int BATCH = 10_000;

    @Param({"jbolt", "rocksdb", "lmdb"})
    public String engine;

    @Param({"SYNC", "NO_SYNC"})
    public Durability durability;

    private Path dir;
    private Backend backend;
    private long seq;
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] value = Keys.value(1);

    @Setup(Level.Trial)
    public void open() {
        dir = ScratchDir.create("kv-bench-write-" + engine);
        backend = Engines.openWithBucket(engine, dir, durability);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        ScratchDir.delete(dir);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public void sequentialPut1() {
        put(1, false);
    }

    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 20)
    @OperationsPerInvocation(BATCH)
    public void sequentialPut10k() {
        put(BATCH, false);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public void randomPut1() {
        put(1, true);
    }

    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 20)
    @OperationsPerInvocation(BATCH)
    public void randomPut10k() {
        put(BATCH, true);
    }

    private void put(int n, boolean randomKeys) {
        try (WriteTx tx = backend.beginWrite()) {
            for (int i = 0; i < n; i++) {
                tx.put(Engines.BUCKET, Keys.key(randomKeys ? random.nextLong() : seq++), value);
            }
            tx.commit(durability);
        }
    }
}
