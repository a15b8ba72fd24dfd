package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import kv.lincheck.KvModel;
import kv.lincheck.LinearizabilityChecker;
import kv.lincheck.Operation;
import kv.lincheck.Result;
import kv.lincheck.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jepsen-style fault run on 3 members: 6 jetcd clients run get / put / compare-and-set / delete
 * on 8 keys while a seeded {@link Nemesis} kills, pauses, partitions and isolates members in turn,
 * and a {@link WatchAudit} watches the keys on every member. Then everything is healed and checked:
 * the history is linearizable (kv.lincheck, per key), the watch streams have every revision once and
 * in order and agree, no acknowledged write is lost, and all members have the same HashKV at the
 * same revision. 30 s of faults by default, 10 minutes with -Dkv.long=true, or any ISO-8601
 * duration with -Dkv.fault.duration=PT2M; -Dkv.fault.seed=N replays a run's fault schedule and
 * workload choices (the seed is printed; which member leads when a fault comes still varies).
 */
abstract class FaultRunContract extends ClusterContract {
    private static final int CLIENTS = 6;
    private static final int KEYS = 8;

    /** What a fault run produced, for the checks and figures. */
    private record Outcome(List<Operation<KvModel.Input, KvModel.Output>> history, List<Workload.AckedWrite> acked,
            int failedOperations, long finalRevision, List<String> watchProblems, long lost, long watchEvents, long watchReopenings,
            UnaryOperator<String> withAnswerers) {}

    @Test
    void historyIsLinearizableAndWatchesAreCompleteUnderFaults(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("kv.fault.seed", System.nanoTime());
        Duration faults = Duration.parse(System.getProperty("kv.fault.duration", Boolean.getBoolean("kv.long") ? "PT10M" : "PT30S"));
        System.out.printf("[%s] fault run: seed %d (-Dkv.fault.seed=%d replays), %s of faults%n", label(), seed, seed, faults);
        withCluster(dir, 3, 1_000, cluster -> {
            long start = System.nanoTime();
            Nemesis nemesis = new Nemesis(cluster, seed);
            Outcome o = run(cluster, nemesis, faults, seed);
            Result<KvModel.Input, KvModel.Output> result = LinearizabilityChecker.check(new KvModel(), o.history(),
                    faults.compareTo(Duration.ofMinutes(1)) > 0 ? faults : Duration.ofMinutes(1));
            report(start, seed, o, result, nemesis, cluster.proxy());
            assertEquals(Verdict.LINEARIZABLE, result.verdict(), () -> "seed " + seed + ": " + o.withAnswerers().apply(result.explanation())
                    + "\nmembers: " + cluster.statuses());
            assertEquals(List.of(), o.watchProblems(), "seed " + seed + ": watch streams");
            assertEquals(0, o.lost(), "seed " + seed + ": acknowledged writes lost");
            assertTrue(o.acked().size() > 50, "the workload wrote too little to mean anything: " + o.acked().size());
            assertTrue(cluster.proxy().count(PeerProxy.Counter.IDENTIFIED) > 0, "the peer proxy attributed no connection to a member");
            assertTrue(nemesis.injected().values().stream().mapToInt(Integer::intValue).sum() >= 4, "too few faults: " + nemesis.injected());
        });
    }

    /** Load and faults, then repair, final reads, convergence and the watch checks. */
    private static Outcome run(ClusterRunner cluster, Nemesis nemesis, Duration faults, long seed) throws Exception {
        try (WatchAudit watches = new WatchAudit(cluster);
             Client client = ClusterFailoverContract.client(cluster)) {
            Workload workload = new Workload(client, CLIENTS, KEYS, seed);
            workload.start();
            try {
                nemesis.run(faults);
            } finally {
                nemesis.repairAll();
                cluster.awaitLeader(cluster.all(), Duration.ofSeconds(30));
                ClusterRunner.sleep(Duration.ofSeconds(1)); // a little load on the healed cluster
                workload.stop();
            }
            finalReads(cluster, workload);
            long converged = cluster.awaitConverged(Duration.ofSeconds(60));
            watches.awaitRevision(converged, Duration.ofSeconds(30));
            // revision 1 is the empty store's; the workload is the only writer from revision 2 on
            List<Workload.AckedWrite> acked = workload.acked();
            return new Outcome(workload.history(), acked, workload.failures(), converged, watches.check(2, converged, acked),
                    watches.lost(acked), watches.events(), watches.reconnects(), workload::withAnswerers);
        }
    }

    private static void finalReads(ClusterRunner cluster, Workload workload) throws InterruptedException {
        List<Client> perMember = new ArrayList<>();
        try {
            for (int i = 0; i < cluster.size(); i++) {
                perMember.add(Client.builder().endpoints(cluster.clientUrl(i)).retryMaxAttempts(0).build());
            }
            workload.finalReads(perMember, Duration.ofSeconds(30));
        } finally {
            perMember.forEach(Client::close);
        }
    }

    private void report(long start, long seed, Outcome o, Result<KvModel.Input, KvModel.Output> result, Nemesis nemesis, PeerProxy proxy) {
        long pending = o.history().stream().filter(Operation::pending).count();
        List<Long> elections = new ArrayList<>(nemesis.electionMillis());
        Collections.sort(elections);
        System.out.printf("[%s] fault run over in %d s (seed %d): %d operations (%d pending, %d failed) on %d keys, %s%n",
                label(), millisSince(start) / 1000, seed, o.history().size(), pending, o.failedOperations(), KEYS,
                result.explanation().lines().findFirst().orElse(""));
        System.out.printf("[%s] faults %s; elections after losing the leader: %d, median %s ms, max %s ms; %d holds without a new leader%n",
                label(), nemesis.injected(), elections.size(), elections.isEmpty() ? "-" : elections.get(elections.size() / 2),
                elections.isEmpty() ? "-" : elections.getLast(), nemesis.leaderlessHolds());
        System.out.printf("[%s] watch: %d events, %d stream reopenings, final revision %d, %d problems; acknowledged writes %d, lost %d; "
                        + "linearizability violations %d%n", label(), o.watchEvents(), o.watchReopenings(), o.finalRevision(),
                o.watchProblems().size(), o.acked().size(), o.lost(), result.verdict() == Verdict.NOT_LINEARIZABLE ? 1 : 0);
        System.out.printf("[%s] peer proxy: %d connections, %d attributed to a member, %d not, %d refused across a cut, %d cut%n",
                label(), proxy.count(PeerProxy.Counter.ACCEPTED), proxy.count(PeerProxy.Counter.IDENTIFIED),
                proxy.count(PeerProxy.Counter.UNIDENTIFIED), proxy.count(PeerProxy.Counter.REFUSED), proxy.count(PeerProxy.Counter.CUT));
        nemesis.log().forEach(line -> System.out.println("  nemesis: " + line));
    }

    private String label() {
        List<String> b = backends(3);
        return b.isEmpty() ? kind().toString() : kind() + " " + b;
    }
}
