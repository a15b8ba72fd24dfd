package kv.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;
import kv.raft.RaftConfig.TestingFault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator bites: each planted fault of {@link TestingFault}, enabled on every node, is
 * reported as the violation it causes within a bounded number of seeds (3- and 5-node groups
 * alternating, a schedule that gives the fault its chance: {@link #schedule}).
 *
 * <p>Two views per fault: with only the five safety properties (the fault has to do real damage:
 * two leaders in a term, a lost committed entry, ...), and with the strict rule checks on (which
 * see the broken rule itself, usually at once).
 */
class PlantedFaultTest {
    static final int BUDGET = 200;

    /** The safety properties a fault breaks when only those are checked. */
    static Set<Violation.Kind> damage(TestingFault f) {
        return switch (f) {
            case COMMIT_PREVIOUS_TERM_BY_COUNTING -> EnumSet.of(Violation.Kind.LEADER_COMPLETENESS,
                    Violation.Kind.STATE_MACHINE_SAFETY);
            case ACCEPT_STALE_TERM_APPEND -> EnumSet.of(Violation.Kind.LOG_MATCHING, Violation.Kind.LEADER_COMPLETENESS,
                    Violation.Kind.STATE_MACHINE_SAFETY);
            case GRANT_VOTE_TWICE_IN_TERM, SKIP_VOTE_PERSIST -> EnumSet.of(Violation.Kind.ELECTION_SAFETY);
            case CONFIRM_READ_INDEX_AT_ONCE -> EnumSet.of(Violation.Kind.STALE_READ);
        };
    }

    /** The rule a fault breaks, as the strict checks see it. */
    static Set<Violation.Kind> brokenRule(TestingFault f) {
        return switch (f) {
            case COMMIT_PREVIOUS_TERM_BY_COUNTING -> EnumSet.of(Violation.Kind.COMMIT_RULE);
            case ACCEPT_STALE_TERM_APPEND -> EnumSet.of(Violation.Kind.LOG_MATCHING, Violation.Kind.STATE_MACHINE_SAFETY,
                    Violation.Kind.LEADER_COMPLETENESS, Violation.Kind.DURABILITY, Violation.Kind.COMMIT_RULE);
            case GRANT_VOTE_TWICE_IN_TERM -> EnumSet.of(Violation.Kind.DURABILITY, Violation.Kind.ELECTION_SAFETY);
            case SKIP_VOTE_PERSIST -> EnumSet.of(Violation.Kind.DURABILITY);
            case CONFIRM_READ_INDEX_AT_ONCE -> EnumSet.of(Violation.Kind.STALE_READ);
        };
    }

    /**
     * The schedule that gives a fault its chance: the stormy mix with a long chaos phase, tuned to
     * the situation the fault needs.
     */
    static SimOptions schedule(TestingFault f, int nodes) {
        SimOptions stormy = SimOptions.stormy(nodes).withChaosTicks(3000);
        return switch (f) {
            // Figure 8 of the raft paper: old-term entries on some nodes, leaders dying right after
            // their election (their first entry stays local) or right after committing, partitions.
            case COMMIT_PREVIOUS_TERM_BY_COUNTING -> stormy.withCrashesAndPartitions(0.02, 0.3, 0.06);
            // Old leaders must live on (few crashes) behind partitions while their appends linger,
            // and the entries those appends overwrite must still be in the logs (no compaction).
            case ACCEPT_STALE_TERM_APPEND -> stormy.withCrashesAndPartitions(0.005, 0.1, 0.03).withCompactRate(0);
            // Crashes right after voting, and competing candidates of one term.
            case SKIP_VOTE_PERSIST -> stormy.withCrashesAndPartitions(0.01, 0.2, 0.05);
            case GRANT_VOTE_TWICE_IN_TERM -> stormy;
            // A leader cut off by a partition lives on (few crashes) while the others elect another.
            case CONFIRM_READ_INDEX_AT_ONCE -> stormy.withCrashesAndPartitions(0.005, 0.1, 0.03);
        };
    }

    @ParameterizedTest
    @EnumSource(TestingFault.class)
    void faultDamagesSafety(TestingFault fault) {
        hunt(fault, false, damage(fault));
    }

    @ParameterizedTest
    @EnumSource(TestingFault.class)
    void strictChecksSeeTheBrokenRule(TestingFault fault) {
        hunt(fault, true, brokenRule(fault));
    }

    private static void hunt(TestingFault fault, boolean strict, Set<Violation.Kind> expected) {
        TreeMap<Violation.Kind, Integer> other = new TreeMap<>();
        for (long seed = 1; seed <= BUDGET; seed++) {
            int nodes = seed % 2 == 1 ? 3 : 5;
            Simulation.Result r = Simulation.run(seed, schedule(fault, nodes).withFaults(Set.of(fault), strict));
            if (r.ok()) {
                continue;
            }
            if (expected.contains(r.violation().kind())) {
                System.out.printf("planted fault %s (%s checks): caught as %s after %d seeds (%d nodes)%s%n%s%n",
                        fault, strict ? "strict" : "safety-only", r.violation().kind(), seed, nodes,
                        other.isEmpty() ? "" : "; earlier other violations " + other, r.violation().describe());
                return;
            }
            other.merge(r.violation().kind(), 1, Integer::sum);
        }
        System.out.printf("planted fault %s (%s checks): NOT caught as %s within %d seeds; other violations %s%n",
                fault, strict ? "strict" : "safety-only", expected, BUDGET, other);
        assertTrue(false, fault + " not caught as " + expected + " within " + BUDGET + " seeds; other: " + other);
    }
}
