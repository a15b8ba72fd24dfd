package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import kv.api.etcdserverpb.RangeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition that isolates the leader of 3 members (through the peer proxies; clients
 * still reach every member): on the minority side a linearizable get and a put fail with a timeout
 * while the majority elects a leader and accepts writes; after healing, the old leader follows the
 * new one and all members converge (same revision, same HashKV).
 */
abstract class PartitionContract extends ClusterContract {
    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(3);

    @Test
    void isolatedLeaderCannotServeWhileMajorityMovesOn(@TempDir Path dir) throws Exception {
        withCluster(dir, 3, 10_000, cluster -> {
            int old = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(10));
            put(cluster.channel(old), "p/before", "1", CLIENT_DEADLINE);
            Set<Integer> majority = ClusterFailoverContract.without(cluster.all(), old);

            long start = System.nanoTime();
            cluster.isolate(old);
            // the minority's requests run while the majority elects
            CompletableFuture<Throwable> minorityGet = CompletableFuture.supplyAsync(() -> failure(() ->
                    range(cluster.channel(old), "p/", false, CLIENT_DEADLINE)));
            CompletableFuture<Throwable> minorityPut = CompletableFuture.supplyAsync(() -> failure(() ->
                    put(cluster.channel(old), "p/minority", "lost", CLIENT_DEADLINE)));
            int leader = cluster.awaitLeader(majority, Duration.ofSeconds(15));
            long electionMs = millisSince(start);
            assertNotEquals(old, leader);
            long rev = put(cluster.channel(leader), "p/majority", "2", CLIENT_DEADLINE);
            System.out.printf("[%s] leader %s isolated: %s elected by the majority in %d ms, write at revision %d%n",
                    kind(), ClusterRunner.name(old), ClusterRunner.name(leader), electionMs, rev);

            Throwable getError = minorityGet.get();
            Throwable putError = minorityPut.get();
            assertTrue(getError != null && noQuorumError(getError), "a linearizable get on the isolated member: " + getError);
            assertTrue(putError != null && noQuorumError(putError), "a put on the isolated member: " + putError);
            System.out.printf("[%s] on the minority side: get -> %s; put -> %s%n", kind(), getError.getMessage(), putError.getMessage());

            cluster.heal();
            long healed = System.nanoTime();
            int after = awaitFollowing(cluster, old);
            System.out.printf("[%s] healed: %s follows %s after %d ms%n", kind(), ClusterRunner.name(old),
                    ClusterRunner.name(after), millisSince(healed));
            long converged = cluster.awaitConverged(Duration.ofSeconds(30));
            assertTrue(converged >= rev);
            RangeResponse onOld = range(cluster.channel(old), "p/", true, CLIENT_DEADLINE);
            assertEquals(Set.of("p/before", "p/majority"),
                    onOld.getKvsList().stream().map(kv -> string(kv.getKey())).collect(Collectors.toSet()),
                    "the old leader has the majority's write and not the one it could not commit");
        });
    }

    /** Waits until every member agrees on a leader that is not {@code old}; returns it. */
    private static int awaitFollowing(ClusterRunner cluster, int old) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> l = cluster.leader(cluster.all());
            boolean allAnswer = cluster.all().stream().allMatch(i -> cluster.status(i, Duration.ofMillis(500)).isPresent());
            if (l.isPresent() && l.get() != old && allAnswer) {
                return l.get();
            }
            ClusterRunner.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("after healing, the old leader " + ClusterRunner.name(old) + " does not follow a new leader: " + cluster.statuses());
    }

    private static Throwable failure(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
