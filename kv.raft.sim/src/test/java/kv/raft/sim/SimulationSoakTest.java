package kv.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Long run (-Plong / -Dkv.long=true): 10,000 seeds of the stormy mix with a chaos phase three
 * times longer than usual, alternating 3 and 5 nodes; {@code -Dkv.raft.sim.seeds=N} changes the count.
 */
@EnabledIfSystemProperty(named = "kv.long", matches = "true")
class SimulationSoakTest {

    @Test
    void stormySoakShowsNoViolation() {
        int seeds = SimulationSeedsTest.seedCount(10_000);
        long t0 = System.nanoTime();
        long steps = 0;
        List<String> violations = new ArrayList<>();
        for (long seed = 1_000_001; seed < 1_000_001 + seeds; seed++) {
            SimOptions opts = SimOptions.stormy(seed % 2 == 0 ? 5 : 3).withChaosTicks(3000);
            Simulation.Result r = Simulation.run(seed, opts);
            steps += r.steps();
            if (!r.ok()) {
                violations.add(r.violation().describe());
            }
        }
        System.out.printf("kv.raft.sim soak: %d seeds x %d steps on average = %d steps, %d violations, %d ms%n",
                seeds, steps / seeds, steps, violations.size(), (System.nanoTime() - t0) / 1_000_000);
        violations.stream().limit(5).forEach(System.out::println);
        assertEquals(List.of(), violations);
    }
}
