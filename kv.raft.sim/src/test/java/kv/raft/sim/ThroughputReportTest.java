package kv.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Prints the in-memory throughput figures (no timing assertion: the machine is shared). */
class ThroughputReportTest {
    @Test
    void printsCommittedEntriesPerSecond() {
        for (int batch : new int[] {1, 64}) {
            ThroughputReport group = new ThroughputReport(batch);
            group.entriesPerSecond(batch, 300_000_000L);
            double rate = group.entriesPerSecond(batch, 1_000_000_000L);
            System.out.printf("kv.raft in-memory 3-node group, batch %d: %.0f committed entries/s%n", batch, rate);
            assertTrue(rate > 0, "entries were committed");
        }
    }
}
