package kv.it.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Injects one fault at a time, in turn: kill -9 then restart, pause (SIGSTOP) then resume, a
 * partition between two members (each still reaches the third), and the isolation of one member.
 * The target is the leader half of the time (else a random member). When the leader is taken out,
 * the time until the others agree on a new one is recorded. Deterministic for a seed apart from
 * which member happens to lead. Runs on the calling thread.
 */
final class Nemesis {
    /** The kinds of fault, injected in this order, round and round. */
    enum Fault { KILL, PAUSE, PARTITION, ISOLATE }

    private final ClusterRunner cluster;
    private final SplittableRandom random;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final List<Long> electionMillis = new ArrayList<>();
    private int leaderlessHolds;
    private final List<String> log = new ArrayList<>();

    Nemesis(ClusterRunner cluster, long seed) {
        this.cluster = cluster;
        this.random = new SplittableRandom(seed);
        for (Fault f : Fault.values()) {
            injected.put(f, 0);
        }
    }

    /** Injects faults until {@code duration} has passed, then repairs everything. */
    void run(Duration duration) throws IOException {
        long end = System.nanoTime() + duration.toNanos();
        for (int turn = 0; System.nanoTime() < end; turn++) {
            Fault fault = Fault.values()[turn % Fault.values().length];
            int target = pickTarget();
            Duration hold = Duration.ofMillis(1_000 + random.nextInt(2_000));
            inject(fault, target, hold);
            ClusterRunner.sleep(Duration.ofMillis(500 + random.nextInt(1_000)));
        }
    }

    private int pickTarget() {
        if (random.nextBoolean()) {
            Optional<Integer> leader = cluster.leader(cluster.all());
            if (leader.isPresent()) {
                return leader.get();
            }
        }
        return random.nextInt(cluster.size());
    }

    private void inject(Fault fault, int target, Duration hold) throws IOException {
        boolean wasLeader = cluster.leader(cluster.all()).map(l -> l == target).orElse(false);
        long start = System.nanoTime();
        String what = switch (fault) {
            case KILL -> {
                cluster.kill(target);
                yield "kill -9 " + ClusterRunner.name(target);
            }
            case PAUSE -> {
                cluster.pause(target);
                yield "pause " + ClusterRunner.name(target);
            }
            case PARTITION -> {
                int other = (target + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
                cluster.partition(Set.of(target), Set.of(other));
                yield "cut " + ClusterRunner.name(target) + " <-> " + ClusterRunner.name(other);
            }
            case ISOLATE -> {
                cluster.isolate(target);
                yield "isolate " + ClusterRunner.name(target);
            }
        };
        injected.merge(fault, 1, Integer::sum);
        if (wasLeader && fault != Fault.PARTITION) {
            measureElection(target, start, hold);
        }
        long left = hold.toNanos() - (System.nanoTime() - start);
        if (left > 0) {
            ClusterRunner.sleep(Duration.ofNanos(left));
        }
        switch (fault) {
            case KILL -> cluster.restart(target);
            case PAUSE -> cluster.resume(target);
            case PARTITION, ISOLATE -> cluster.heal();
        }
        log.add(String.format("%s for %d ms%s", what, (System.nanoTime() - start) / 1_000_000, wasLeader ? " (the leader)" : ""));
    }

    /**
     * Records how long the members other than the deposed leader took to agree on a new one; if they
     * did not within the hold, counts a hold without a leader.
     */
    private void measureElection(int old, long start, Duration hold) {
        Set<Integer> rest = new HashSet<>(cluster.all());
        rest.remove(old);
        long deadline = start + hold.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> l = cluster.leader(rest);
            if (l.isPresent()) {
                electionMillis.add((System.nanoTime() - start) / 1_000_000);
                return;
            }
            ClusterRunner.sleep(Duration.ofMillis(10));
        }
        leaderlessHolds++;
    }

    /** Faults that took out the leader after which the others had no agreed leader before the fault ended. */
    int leaderlessHolds() {
        return leaderlessHolds;
    }

    /** Brings every member back: heals, resumes, restarts the dead. */
    void repairAll() throws IOException {
        cluster.heal();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.paused(i)) {
                cluster.resume(i);
            }
            if (!cluster.running(i)) {
                cluster.restart(i);
            }
        }
    }

    Map<Fault, Integer> injected() {
        return Collections.unmodifiableMap(injected);
    }

    List<Long> electionMillis() {
        return List.copyOf(electionMillis);
    }

    List<String> log() {
        return List.copyOf(log);
    }
}
