package kv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark method once per parameter combination, in this JVM (no fork) and over
 * 20,000 preloaded keys instead of 1,000,000: proves each one sets up, runs its checks and tears
 * down on every engine. Measures nothing.
 */
class BenchmarksSmokeTest {
    /** 4 write methods x 3 engines x 2 durabilities, 2 reads x 3, 3 MVCC x 3 x 2, 2 WAL x 3, 2 raft, 2 + 2 x 2 protobuf. */
    private static final int COMBINATIONS = 24 + 6 + 18 + 6 + 2 + 6;

    @Test
    void everyBenchmarkRunsOnce(@TempDir Path dir) throws Exception {
        System.setProperty("kv.bench.dir", dir.toString());
        // JMH allows one run per machine through /tmp/jmh.lock; a benchmark someone runs meanwhile
        // must not fail this one-shot check, which measures nothing
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("kv\\.bench\\..*Bench\\.")
                .forks(0)
                .mode(Mode.SingleShotTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .warmupIterations(0)
                .measurementIterations(1)
                .param("keys", "20000")
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        assertEquals(COMBINATIONS, results.size(), "benchmark/parameter combinations run");
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " scored " + score);
        }
        String table = RunAll.sideBySide(results);
        assertTrue(table.contains("BackendReadBench.randomGet (keys=20000)"), table);
        assertTrue(table.lines().filter(l -> l.startsWith("BackendWriteBench.")).allMatch(l -> !l.contains(" - ")), table);
    }
}
