package kv.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many seeds over 3- and 5-node groups, under the default and the stormy fault mix, with every
 * invariant (strict checks included) on: a correct kv.raft shows no violation.
 *
 * <p>Default: 500 seeds. {@code -Dkv.raft.sim.seeds=N} runs N; {@code -Dkv.long=true} (the long
 * profile) runs 10,000 unless N is given.
 */
class SimulationSeedsTest {

    static int seedCount(int defaultCount) {
        String p = System.getProperty("kv.raft.sim.seeds", "").trim();
        if (!p.isEmpty() && Integer.parseInt(p) > 0) {
            return Integer.parseInt(p);
        }
        return Boolean.getBoolean("kv.long") ? 10_000 : defaultCount;
    }

    /** Seed k runs: 4 in 10 a 3-node default mix, 3 a 5-node default, 2 a 3-node stormy, 1 a 5-node stormy. */
    static SimOptions optionsFor(long seed) {
        int slot = (int) (seed % 10);
        if (slot < 4) {
            return SimOptions.defaults(3);
        }
        if (slot < 7) {
            return SimOptions.defaults(5);
        }
        return slot < 9 ? SimOptions.stormy(3) : SimOptions.stormy(5);
    }

    @Test
    void noViolationAcrossSeedsOfThreeAndFiveNodes() {
        int seeds = seedCount(500);
        long t0 = System.nanoTime();
        long steps = 0;
        long committed = 0;
        Simulation.Counters counters = Simulation.Counters.ZERO;
        int threeNode = 0;
        List<Violation> violations = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            SimOptions opts = optionsFor(seed);
            threeNode += opts.nodes() == 3 ? 1 : 0;
            Simulation.Result r = Simulation.run(seed, opts);
            steps += r.steps();
            committed += r.committed();
            counters = counters.plus(r.counters());
            if (!r.ok()) {
                violations.add(r.violation());
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("kv.raft.sim: %d seeds (%d with 3 nodes, %d with 5) x %d steps on average = %d steps,"
                        + " %d entries committed, %d violations, %d ms%n",
                seeds, threeNode, seeds - threeNode, steps / seeds, steps, committed, violations.size(), ms);
        System.out.println("kv.raft.sim: in total " + counters);
        violations.stream().limit(5).forEach(v -> System.out.println(v.describe()));
        assertTrue(threeNode > 0 && threeNode < seeds, "both cluster sizes ran");
        assertTrue(counters.crashes() > 0 && counters.partitions() > 0 && counters.confChanges() > 0
                && counters.jointConfigs() > 0 && counters.transfers() > 0 && counters.snapshots() > 0 && counters.reads() > 0, "the schedule exercised every fault: " + counters);
        assertEquals(List.of(), violations.stream().map(Violation::describe).toList());
    }
}
