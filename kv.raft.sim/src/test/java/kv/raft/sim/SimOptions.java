package kv.raft.sim;

import java.util.EnumSet;
import java.util.Set;
import kv.raft.RaftConfig.TestingFault;

/**
 * What one simulated run looks like: cluster size, phase lengths, fault rates and planted protocol
 * faults. Immutable and validated.
 *
 * @param nodes initial voters (3 or 5 typically)
 * @param chaosTicks ticks of the faulty phase (drops, delays, partitions, crashes, changes)
 * @param healTicks bound on ticks for a proposal to commit once the network is healed
 * @param dropRate probability that a message is lost
 * @param dupRate probability that a message is delivered twice
 * @param maxDelay longest ordinary delivery delay in ticks (>= 1); a few messages are held much longer
 * @param crashRate per-tick probability that some node crashes
 * @param crashAtEventRate probability that a node crashes right after a protocol event (it sent a
 *     granted vote, it became leader, as leader it applied new entries)
 * @param partitionRate per-tick probability that the partition layout changes
 * @param proposeRate per-tick probability of a client proposal
 * @param readRate per-tick probability of a linearizable read (a read-index request)
 * @param confChangeRate per-tick probability of a membership change
 * @param transferRate per-tick probability of a leader transfer request
 * @param campaignRate per-tick probability that one or two voters are told to campaign at once
 * @param compactRate per-tick probability that some node snapshots and compacts its log
 * @param faults planted protocol faults enabled on every node (empty for a correct run)
 * @param strictChecks whether the direct rule checks are on besides the five safety properties:
 *     durability (a granted vote is on disk, the vote never changes within a term, the term never
 *     goes back, log terms never decrease) and the commitment rule (§5.4.2); off when a test wants
 *     to see a planted fault surface as a violation of a safety property itself
 */
public record SimOptions(int nodes, int chaosTicks, int healTicks, double dropRate, double dupRate, int maxDelay,
                         double crashRate, double crashAtEventRate, double partitionRate, double proposeRate, double readRate,
                         double confChangeRate, double transferRate, double campaignRate, double compactRate, Set<TestingFault> faults,
                         boolean strictChecks) {
    public SimOptions {
        if (nodes < 1 || nodes > 7) {
            throw new IllegalArgumentException("nodes must be in [1, 7]: " + nodes);
        }
        if (chaosTicks < 0 || healTicks <= 0 || maxDelay < 1) {
            throw new IllegalArgumentException("chaosTicks >= 0, healTicks > 0 and maxDelay >= 1 required");
        }
        for (double p : new double[] {dropRate, dupRate, crashRate, crashAtEventRate, partitionRate, proposeRate, readRate,
                confChangeRate, transferRate, campaignRate, compactRate}) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("rates must be probabilities: " + p);
            }
        }
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    }

    /** The default mix for {@code nodes} voters. */
    public static SimOptions defaults(int nodes) {
        return new SimOptions(nodes, 600, 400, 0.05, 0.03, 3, 0.006, 0.15, 0.01, 0.25, 0.1, 0.02, 0.005,
                0.004, 0.02, Set.of(), true);
    }

    /**
     * A harsher mix for hunting planted faults: more loss, crashes (also at protocol events),
     * partitions and forced elections, and a longer chaos phase.
     */
    public static SimOptions stormy(int nodes) {
        return new SimOptions(nodes, 1000, 400, 0.12, 0.05, 3, 0.02, 0.3, 0.03, 0.3, 0.15, 0.02, 0.01,
                0.01, 0.03, Set.of(), true);
    }

    public SimOptions withFaults(Set<TestingFault> f, boolean strict) {
        return new SimOptions(nodes, chaosTicks, healTicks, dropRate, dupRate, maxDelay, crashRate, crashAtEventRate,
                partitionRate, proposeRate, readRate, confChangeRate, transferRate, campaignRate, compactRate, f, strict);
    }

    /** A copy with other crash rates (random crashes, crashes right after protocol events) and partition rate. */
    public SimOptions withCrashesAndPartitions(double crashes, double crashesAtEvents, double partitions) {
        return new SimOptions(nodes, chaosTicks, healTicks, dropRate, dupRate, maxDelay, crashes, crashesAtEvents,
                partitions, proposeRate, readRate, confChangeRate, transferRate, campaignRate, compactRate, faults, strictChecks);
    }

    public SimOptions withCompactRate(double rate) {
        return new SimOptions(nodes, chaosTicks, healTicks, dropRate, dupRate, maxDelay, crashRate, crashAtEventRate,
                partitionRate, proposeRate, readRate, confChangeRate, transferRate, campaignRate, rate, faults, strictChecks);
    }

    public SimOptions withChaosTicks(int ticks) {
        return new SimOptions(nodes, ticks, healTicks, dropRate, dupRate, maxDelay, crashRate, crashAtEventRate,
                partitionRate, proposeRate, readRate, confChangeRate, transferRate, campaignRate, compactRate, faults, strictChecks);
    }
}
