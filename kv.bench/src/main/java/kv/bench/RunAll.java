package kv.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * Runs the kv benchmarks with JMH and prints, after JMH's own table, the engine benchmarks side by
 * side (one column per engine) with the jbolt/lmdb and jbolt/rocksdb time ratios.
 *
 * <p>Usage: {@code RunAll [regex...]}: each argument selects benchmarks as JMH's {@code include}
 * (e.g. {@code BackendReadBench} or {@code MvccBench.put$}); none runs all of them. With
 * {@code -Dkv.bench.json=<file>} the raw results are also written as JMH JSON.
 */
public final class RunAll {
    private RunAll() {}

    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder();
        if (args.length == 0) {
            options.include("kv\\.bench\\..*Bench\\.");
        }
        for (String filter : args) {
            options.include(filter);
        }
        String json = System.getProperty("kv.bench.json");
        if (json != null) {
            options.result(json).resultFormat(ResultFormatType.JSON);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(sideBySide(results));
    }

    /**
     * One line per benchmark and non-engine parameters, one column per engine (score and unit),
     * then jbolt's time over lmdb's and over rocksdb's. Benchmarks without an engine are left out:
     * JMH's table already shows them.
     */
    static String sideBySide(Collection<RunResult> results) {
        Map<String, Map<String, RunResult>> rows = new TreeMap<>();
        for (RunResult r : results) {
            String engine = r.getParams().getParam("engine");
            if (engine != null) {
                rows.computeIfAbsent(rowName(r), k -> new TreeMap<>()).put(engine, r);
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-56s %15s %15s %15s %11s %11s  %s%n",
                "Benchmark (params)", "jbolt", "rocksdb", "lmdb", "jbolt/lmdb", "jbolt/rocks", "unit"));
        rows.forEach((name, byEngine) -> out.append(String.format(Locale.ROOT, "%-56s %15s %15s %15s %11s %11s  %s%n",
                name, score(byEngine.get("jbolt")), score(byEngine.get("rocksdb")), score(byEngine.get("lmdb")),
                ratio(byEngine.get("jbolt"), byEngine.get("lmdb")), ratio(byEngine.get("jbolt"), byEngine.get("rocksdb")),
                byEngine.values().iterator().next().getPrimaryResult().getScoreUnit())));
        return out.toString();
    }

    private static String rowName(RunResult r) {
        var params = r.getParams();
        String others = params.getParamsKeys().stream().filter(k -> !k.equals("engine"))
                .map(k -> k + "=" + params.getParam(k)).collect(Collectors.joining(","));
        String bench = params.getBenchmark().replaceFirst("^kv\\.bench\\.", "");
        return others.isEmpty() ? bench : bench + " (" + others + ")";
    }

    private static String score(RunResult r) {
        if (r == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f±%.0f%%", r.getPrimaryResult().getScore(),
                100 * r.getPrimaryResult().getScoreError() / r.getPrimaryResult().getScore());
    }

    private static String ratio(RunResult a, RunResult b) {
        if (a == null || b == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", a.getPrimaryResult().getScore() / b.getPrimaryResult().getScore());
    }
}
