package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kv.testkit.TestServer;
import kv.testkit.TestServer.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling engine switch of docs/clusters.md, done on a running 3-member kvd cluster while a
 * client writes: one member at a time is stopped (SIGTERM), migrated offline with
 * {@code kvctl migrate} and restarted on its new engine. The cluster keeps accepting writes during
 * every member's downtime, no acknowledged write is lost, and the members end on three different
 * engines with equal HashKV.
 */
class EngineSwitchKvdTest extends ClusterContract {
    private static final List<String> TARGETS = List.of("rocksdb", "lmdb", "rocksdb");

    @Override
    Kind kind() {
        return Kind.KVD;
    }

    @Test
    void switchesEveryMemberOneAtATimeWhileServing(@TempDir Path dir) throws Exception {
        withCluster(dir, 3, 10_000, cluster -> {
            Map<String, String> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger counter = new AtomicInteger();
            // one writer per member: a member that is down or electing does not hold up the others
            List<Thread> writers = new java.util.ArrayList<>();
            for (int m = 0; m < cluster.size(); m++) {
                int to = m;
                writers.add(Thread.ofPlatform().name("writer-" + m).start(() -> {
                    while (!stop.get()) {
                        if (!cluster.running(to)) {
                            ClusterRunner.sleep(Duration.ofMillis(20));
                            continue;
                        }
                        int n = counter.incrementAndGet();
                        try {
                            put(cluster.channel(to), "switch/" + n, "v" + n, Duration.ofSeconds(2));
                            acked.put("switch/" + n, "v" + n);
                        } catch (RuntimeException e) {
                            // going down or electing: try again
                        }
                    }
                }));
            }
            try {
                for (int i = 0; i < cluster.size(); i++) {
                    cluster.stop(i);
                    int before = acked.size();
                    migrate(cluster.dataDir(i), TARGETS.get(i));
                    ClusterRunner.sleep(Duration.ofMillis(1500)); // the others serve meanwhile
                    assertTrue(acked.size() > before, "no write was acknowledged while " + ClusterRunner.name(i) + " was down");
                    cluster.useBackend(i, TARGETS.get(i));
                    cluster.restart(i);
                    cluster.awaitConverged(Duration.ofSeconds(60));
                }
            } finally {
                stop.set(true);
                for (Thread w : writers) {
                    w.join();
                }
            }
            long rev = cluster.awaitConverged(Duration.ofSeconds(60));
            var first = cluster.hashKv(0, rev, Duration.ofSeconds(10));
            for (int i = 1; i < cluster.size(); i++) {
                assertEquals(first, cluster.hashKv(i, rev, Duration.ofSeconds(10)), "HashKV of " + ClusterRunner.name(i));
            }
            for (int i = 0; i < cluster.size(); i++) {
                var kvs = range(cluster.channel(i), "switch/", true, Duration.ofSeconds(10)).getKvsList();
                Map<String, String> present = new java.util.HashMap<>();
                kvs.forEach(kv -> present.put(string(kv.getKey()), string(kv.getValue())));
                for (var e : acked.entrySet()) {
                    assertEquals(e.getValue(), present.get(e.getKey()), "acknowledged " + e.getKey() + " on " + ClusterRunner.name(i));
                }
            }
            assertTrue(acked.size() > 50, "too few writes to mean anything: " + acked.size());
            System.out.printf("engine switch: %d writes acknowledged, members now on %s, HashKV %d at revision %d%n",
                    acked.size(), TARGETS, first.hash(), rev);
        });
    }

    /** kvctl migrate, the offline step of the procedure. */
    private static void migrate(Path dataDir, String engine) throws Exception {
        Process p = new ProcessBuilder(TestServer.kvRoot().resolve("bin/kvctl").toString(), "migrate", "--data-dir",
                dataDir.toString(), "--to", engine).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kvctl migrate did not finish");
        assertEquals(0, p.exitValue(), "kvctl migrate failed: " + out);
    }
}
