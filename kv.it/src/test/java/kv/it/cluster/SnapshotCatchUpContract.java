package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.CompactOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.RangeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the others wrote far past their raft log's retention catches up by
 * snapshot: with --snapshot-count 100 and etcd's 5,000 entries kept behind a snapshot for slow
 * followers, 2,000 keys written 3 times each (6,000 entries) and a compaction leave the stopped
 * member no entries to replay. After its restart it serves every key serializably, has the same
 * HashKV at the same revision, and says it received a snapshot (etcd's metric
 * etcd_network_snapshot_receive_success).
 */
abstract class SnapshotCatchUpContract extends ClusterContract {
    private static final int KEYS = 2_000;
    private static final int ROUNDS = 3;

    @Test
    void restartedFollowerCatchesUpBySnapshot(@TempDir Path dir) throws Exception {
        withCluster(dir, 3, 100, cluster -> {
            int leader = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(10));
            int stopped = (leader + 1) % 3;
            cluster.kill(stopped);
            long start = System.nanoTime();
            Map<String, String> latest = new HashMap<>();
            long rev;
            try (Client client = ClusterFailoverContract.client(cluster)) {
                rev = writeAll(client, latest);
                System.out.printf("[%s] %d puts with %s down in %d ms, revision %d%n", kind(), KEYS * ROUNDS,
                        ClusterRunner.name(stopped), millisSince(start), rev);
                client.getKVClient().compact(rev, CompactOption.newBuilder().withCompactPhysical(true).build()).get(30, TimeUnit.SECONDS);
                // HashKV cannot hash at the compacted revision itself: one more write gives a revision to compare at
                latest.put("s/after", "compacted at " + rev);
                rev = client.getKVClient().put(ClusterFailoverContract.bs("s/after"), ClusterFailoverContract.bs(latest.get("s/after")))
                        .get(30, TimeUnit.SECONDS).getHeader().getRevision();
            }
            long compacted = rev - 1;
            long byLeader = snapshotsReceived(cluster, leader);
            long restart = System.nanoTime();
            cluster.restart(stopped);
            awaitAllKeys(cluster, stopped, rev, latest);
            System.out.printf("[%s] %s caught up %d keys in %d ms after restart%n", kind(), ClusterRunner.name(stopped),
                    latest.size(), millisSince(restart));
            long converged = cluster.awaitConverged(Duration.ofSeconds(30));
            assertEquals(rev, converged, "nothing else was written");
            List<Long> hashes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ClusterRunner.HashKv h = cluster.hashKv(i, rev, Duration.ofSeconds(10));
                hashes.add(h.hash());
                assertEquals(compacted, h.compactRevision(), ClusterRunner.name(i) + "'s compact revision");
            }
            assertEquals(1, hashes.stream().distinct().count(), "HashKV at revision " + rev + ": " + hashes);
            long received = snapshotsReceived(cluster, stopped);
            System.out.printf("[%s] snapshots received by %s: %d (by the leader, which sent it: %d)%n", kind(), ClusterRunner.name(stopped), received, byLeader);
            assertTrue(received >= 1, ClusterRunner.name(stopped) + " caught up without receiving a snapshot");
        });
    }

    /** ROUNDS puts of each key, pipelined (64 in flight); returns the last revision. */
    private static long writeAll(Client client, Map<String, String> latest) throws Exception {
        Semaphore inflight = new Semaphore(64);
        List<CompletableFuture<PutResponse>> all = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < KEYS; k++) {
                String key = String.format("s/%05d", k);
                String value = "r" + round + "-" + k;
                latest.put(key, value);
                inflight.acquire();
                CompletableFuture<PutResponse> f = client.getKVClient().put(ClusterFailoverContract.bs(key), ClusterFailoverContract.bs(value));
                f.whenComplete((r, e) -> inflight.release());
                all.add(f);
            }
            // rounds are ordered so that the last value of each key is known
            for (CompletableFuture<PutResponse> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        long rev = 0;
        for (CompletableFuture<PutResponse> f : all) {
            rev = Math.max(rev, f.get().getHeader().getRevision());
        }
        return rev;
    }

    private static void awaitAllKeys(ClusterRunner cluster, int i, long rev, Map<String, String> latest) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                RangeResponse r = range(cluster.channel(i), "s/", true, Duration.ofSeconds(10));
                if (r.getHeader().getRevision() >= rev && r.getCount() == latest.size()) {
                    r.getKvsList().forEach(kv -> assertEquals(latest.get(string(kv.getKey())), string(kv.getValue()), string(kv.getKey())));
                    return;
                }
                last = "revision " + r.getHeader().getRevision() + ", " + r.getCount() + " keys";
            } catch (RuntimeException e) {
                last = e.toString();
            }
            ClusterRunner.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError(ClusterRunner.name(i) + " did not catch up to revision " + rev + ": " + last);
    }

    /** Sum of etcd_network_snapshot_receive_success over senders, from the member's /metrics. */
    static long snapshotsReceived(ClusterRunner cluster, int i) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try (HttpClient http = HttpClient.newHttpClient()) {
            r = http.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl(i) + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(200, r.statusCode(), "GET /metrics");
        long sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("etcd_network_snapshot_receive_success")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
