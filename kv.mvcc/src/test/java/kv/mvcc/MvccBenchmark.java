package kv.mvcc;

import static kv.mvcc.Kv.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kv.api.etcdserverpb.TxnRequest;

/**
 * A plain benchmark (not a test): put, range and txn throughput per engine, key-index memory per
 * key, and watch fan-out. Run from the module directory with the test class path, e.g.
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) kv.mvcc.MvccBenchmark [ops]}.
 */
public final class MvccBenchmark {
    private MvccBenchmark() {}

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        String only = args.length > 1 ? args[1] : "";
        for (var e : Engines.all().toList()) {
            if (!only.isEmpty() && !only.contains(e.getName())) {
                continue;
            }
            throughput(e.getName(), e.getPayload(), ops, MvccConfig.defaults());
            throughput(e.getName() + "/batch", e.getPayload(), ops,
                    MvccConfig.defaults().withCommitBatch(10_000, java.time.Duration.ofMillis(100)));
        }
        if (only.isEmpty() || only.contains("index")) {
            indexMemory(1_000_000);
        }
        if (only.isEmpty() || only.contains("watch")) {
            watchFanOut(1_000, 2_000);
        }
    }

    private static void throughput(String name, Engines.Engine engine, int ops, MvccConfig config) throws Exception {
        Path dir = Files.createTempDirectory("kv-mvcc-bench-" + name.replace('/', '-'));
        try (StoreFixture f = new StoreFixture(dir, config, engine)) {
            MvccStore s = f.store;
            long t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                s.put(put(key(i % (ops / 2)), "value-" + i), f.next());
            }
            report(name, "put", ops, t0);
            t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                s.range(get(key((i * 7919) % (ops / 2))));
            }
            report(name, "range (1 key)", ops, t0);
            t0 = System.nanoTime();
            int ranges = Math.max(1, ops / 100);
            for (int i = 0; i < ranges; i++) {
                s.range(kv.api.etcdserverpb.RangeRequest.newBuilder().setKey(bs(key(0))).setRangeEnd(bs(key(100))).build());
            }
            report(name, "range (100 keys)", ranges, t0);
            t0 = System.nanoTime();
            for (int i = 0; i < ops / 2; i++) {
                String a = key(i % 1000);
                s.txn(TxnRequest.newBuilder().addCompare(versionIs(a, 0))
                        .addSuccess(op(put(a, "t"))).addFailure(op(put(a, "u"))).addFailure(op(get(key(i % 1000 + 1000))))
                        .build(), f.next());
            }
            report(name, "txn (compare, put, range)", ops / 2, t0);
        }
    }

    private static String key(int i) {
        return String.format("key/%08d", i);
    }

    private static void report(String engine, String what, long n, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-14s %-28s %10.0f ops/s  (%d in %.2f s)%n", engine, what, n / secs, n, secs);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Heap the key index takes per key, beyond the key bytes (16-byte keys, one revision each). */
    static void indexMemory(int keys) throws InterruptedException {
        List<byte[]> keep = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            keep.add(String.format("key/%012d", i).getBytes(StandardCharsets.US_ASCII));
        }
        long base = usedHeap();
        TreeIndex index = new TreeIndex();
        for (int i = 0; i < keys; i++) {
            index.put(keep.get(i), new Revision(i + 1, 0));
        }
        long used = usedHeap() - base;
        java.lang.ref.Reference.reachabilityFence(index);
        System.out.printf("key index: %d keys, %.1f bytes/key beyond the key arrays (%d bytes of key data each)%n",
                index.size(), (double) used / keys, keep.getFirst().length);
        for (int i = 0; i < keys; i++) {
            index.put(keep.get(i), new Revision(keys + i + 1, 0));
        }
        long used2 = usedHeap() - base;
        System.out.printf("key index: after a second revision per key, %.1f bytes/key%n", (double) used2 / keys);
        java.lang.ref.Reference.reachabilityFence(index);
        java.lang.ref.Reference.reachabilityFence(keep);
    }

    /** Events per second delivered to {@code watchers} streams watching one prefix. */
    static void watchFanOut(int watchers, int puts) throws Exception {
        Path dir = Files.createTempDirectory("kv-mvcc-bench-watch");
        try (StoreFixture f = new StoreFixture(dir)) {
            List<WatchStream> streams = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                WatchStream w = f.store.newWatchStream();
                w.watch(0, "w/".getBytes(StandardCharsets.US_ASCII), "w0".getBytes(StandardCharsets.US_ASCII), 0,
                        Set.of(), false, false);
                streams.add(w);
            }
            long delivered = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < puts; i++) {
                f.store.put(put("w/" + (i % 100), "v" + i), f.next());
                for (WatchStream w : streams) {
                    for (WatchUpdate u = w.poll(); u != null; u = w.poll()) {
                        delivered += u.events().size();
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("watch: %d watchers, %d puts: %.0f events/s delivered (%d events in %.2f s)%n", watchers, puts,
                    delivered / secs, delivered, secs);
        }
    }
}
