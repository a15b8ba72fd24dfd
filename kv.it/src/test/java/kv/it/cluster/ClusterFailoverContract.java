package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kv.api.etcdserverpb.RangeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover with kill -9: the leader of a 3-member cluster dies, the others elect a new leader
 * (the time from the kill to a leader both see is printed) and writes go on; the old leader restarts
 * and catches up; a majority dies and a write fails within a bound; the majority comes back and every
 * acknowledged write is there, on every member. Also a 5-member cluster that loses its leader and a
 * follower and still takes writes.
 */
abstract class ClusterFailoverContract extends ClusterContract {
    private static final Duration WRITE_BOUND = Duration.ofSeconds(20);

    @Test
    void threeMembersSurviveLeaderDeathAndRefuseWritesWithoutMajority(@TempDir Path dir) throws Exception {
        withCluster(dir, 3, 10_000, cluster -> {
            Map<String, String> acked = new LinkedHashMap<>();
            try (Client client = client(cluster)) {
                writeBatch(client, "f/a", 30, acked);
                int oldLeader = killLeaderAndAwaitAnother(cluster);
                long rev = writeBatch(client, "f/b", 30, acked);
                cluster.restart(oldLeader);
                awaitCaughtUp(cluster, oldLeader, rev, acked);

                int leader = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(15));
                int survivor = (leader + 1) % 3;
                Set<Integer> majority = without(cluster.all(), survivor);
                majority.forEach(cluster::kill);
                assertPutFailsWithoutQuorum(cluster, survivor);
                for (int i : majority) {
                    cluster.restart(i);
                }
                cluster.awaitLeader(cluster.all(), Duration.ofSeconds(30));
                writeBatch(client, "f/c", 10, acked);
            }
            cluster.awaitConverged(Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                awaitCaughtUp(cluster, i, 0, acked);
            }
        });
    }

    /** Kills the leader, waits for the others to agree on another, prints the time it took; returns the old leader. */
    private int killLeaderAndAwaitAnother(ClusterRunner cluster) {
        int oldLeader = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(10));
        long start = System.nanoTime();
        cluster.kill(oldLeader);
        int newLeader = cluster.awaitLeader(without(cluster.all(), oldLeader), Duration.ofSeconds(15));
        System.out.printf("[%s] 3 members: leader %s killed, %s elected in %d ms%n",
                kind(), ClusterRunner.name(oldLeader), ClusterRunner.name(newLeader), millisSince(start));
        assertNotEquals(oldLeader, newLeader);
        return oldLeader;
    }

    /** A put to the only live member of 3 fails with a timeout or unavailable, within a bound. */
    private void assertPutFailsWithoutQuorum(ClusterRunner cluster, int survivor) {
        long start = System.nanoTime();
        try {
            put(cluster.channel(survivor), "f/nomajority", "x", Duration.ofSeconds(5));
            fail("a put to the only live member of 3 was acknowledged");
        } catch (RuntimeException e) {
            long ms = millisSince(start);
            System.out.printf("[%s] without a majority a put failed after %d ms: %s%n", kind(), ms, e.getMessage());
            assertTrue(noQuorumError(e), "expected a timeout or unavailable, got " + e);
            assertTrue(ms < 10_000, "the failure took " + ms + " ms");
        }
    }

    @Test
    void fiveMembersWriteOnAfterLosingLeaderAndAFollower(@TempDir Path dir) throws Exception {
        withCluster(dir, 5, 10_000, cluster -> {
            Map<String, String> acked = new LinkedHashMap<>();
            try (Client client = client(cluster)) {
                writeBatch(client, "f5/a", 20, acked);
                int oldLeader = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(10));
                int follower = (oldLeader + 2) % 5;
                long start = System.nanoTime();
                cluster.kill(oldLeader);
                cluster.kill(follower);
                Set<Integer> rest = without(without(cluster.all(), oldLeader), follower);
                int newLeader = cluster.awaitLeader(rest, Duration.ofSeconds(15));
                System.out.printf("[%s] 5 members: leader %s and %s killed, %s elected in %d ms%n", kind(),
                        ClusterRunner.name(oldLeader), ClusterRunner.name(follower), ClusterRunner.name(newLeader), millisSince(start));
                long rev = writeBatch(client, "f5/b", 20, acked);
                cluster.restart(oldLeader);
                cluster.restart(follower);
                awaitCaughtUp(cluster, oldLeader, rev, acked);
                awaitCaughtUp(cluster, follower, rev, acked);
            }
            cluster.awaitConverged(Duration.ofSeconds(30));
        });
    }

    static Client client(ClusterRunner cluster) {
        return Client.builder().endpoints(cluster.clientUrls().toArray(String[]::new))
                .retryMaxAttempts(0).connectTimeout(Duration.ofSeconds(2)).build();
    }

    static Set<Integer> without(Set<Integer> s, int i) {
        Set<Integer> r = new HashSet<>(s);
        r.remove(i);
        return r;
    }

    /** Puts {@code n} keys through jetcd, each retried until acknowledged; returns the highest revision. */
    static long writeBatch(Client client, String prefix, int n, Map<String, String> acked) throws InterruptedException {
        long rev = 0;
        for (int k = 0; k < n; k++) {
            String key = prefix + "/" + k;
            String value = "v" + k + "-" + System.nanoTime();
            rev = Math.max(rev, putAcked(client, key, value));
            acked.put(key, value);
        }
        return rev;
    }

    /** A put retried (a failed attempt may or may not have been applied; the value is the same) until acknowledged. */
    static long putAcked(Client client, String key, String value) throws InterruptedException {
        long deadline = System.nanoTime() + WRITE_BOUND.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return client.getKVClient().put(bs(key), bs(value)).get(3, TimeUnit.SECONDS).getHeader().getRevision();
            } catch (ExecutionException | TimeoutException e) {
                last = new RuntimeException(e);
                Thread.sleep(50);
            }
        }
        throw new AssertionError("put " + key + " not acknowledged within " + WRITE_BOUND, last);
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits until member {@code i}, read serializably (its own state), is at {@code revision} or later and has every acknowledged write. */
    static void awaitCaughtUp(ClusterRunner cluster, int i, long revision, Map<String, String> acked) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                RangeResponse r = range(cluster.channel(i), "f", true, Duration.ofSeconds(2));
                Map<String, String> seen = new LinkedHashMap<>();
                r.getKvsList().forEach(kv -> seen.put(string(kv.getKey()), string(kv.getValue())));
                long missing = acked.entrySet().stream().filter(e -> !e.getValue().equals(seen.get(e.getKey()))).count();
                if (r.getHeader().getRevision() >= revision && missing == 0) {
                    assertEquals(acked.size(), acked.keySet().stream().filter(seen::containsKey).count());
                    return;
                }
                last = "at revision " + r.getHeader().getRevision() + " (want " + revision + "), " + missing + " acknowledged writes missing";
            } catch (RuntimeException e) {
                last = e.toString();
            }
            ClusterRunner.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(ClusterRunner.name(i) + " did not catch up: " + last);
    }
}
