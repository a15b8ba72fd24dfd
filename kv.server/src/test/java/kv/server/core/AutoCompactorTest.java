package kv.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.server.config.AutoCompaction;
import org.junit.jupiter.api.Test;

class AutoCompactorTest {
    /** A member whose revision grows by 10 per minute of the driven clock. */
    static final class FakeMember implements AutoCompactor.Target {
        long revision = 1;
        boolean leading = true;
        final List<Long> compactions = new ArrayList<>();

        @Override
        public long currentRevision() {
            return revision;
        }

        @Override
        public long compactRevision() {
            return compactions.isEmpty() ? 0 : compactions.getLast();
        }

        @Override
        public boolean leading() {
            return leading;
        }

        @Override
        public void compact(long rev) {
            compactions.add(rev);
        }
    }

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void periodicKeepsAboutOneRetentionWindowOfHistory() {
        FakeMember m = new FakeMember();
        AutoCompactor c = new AutoCompactor(m, new AutoCompaction.Periodic(Duration.ofMinutes(10)));
        for (long minute = 0; minute <= 30; minute++) {
            m.revision = 1 + 10 * minute;
            c.tick(minute * MINUTE);
        }
        // at minute 30 the revision sampled at minute 20 (201) is a whole window old
        assertEquals(201L, m.compactions.getLast());
        assertEquals(1L, m.compactions.getFirst(), "the first compaction comes one window after the first sample");
        for (int i = 1; i < m.compactions.size(); i++) {
            assertEquals(m.compactions.get(i - 1) + 10, m.compactions.get(i), "one compaction per sample period");
        }
    }

    @Test
    void revisionModeKeepsTheLastNRevisionsEveryFiveMinutes() {
        FakeMember m = new FakeMember();
        AutoCompactor c = new AutoCompactor(m, new AutoCompaction.Revision(100));
        for (long minute = 0; minute <= 20; minute++) {
            m.revision = 1 + 10 * minute;
            c.tick(minute * MINUTE);
        }
        // runs at minutes 0, 5, 10, 15, 20; nothing to compact until current - 100 > 0
        assertEquals(List.of(1L + 10 * 10 - 100, 1L + 10 * 15 - 100, 1L + 10 * 20 - 100), m.compactions);
    }

    @Test
    void onlyTheLeaderCompacts() {
        FakeMember m = new FakeMember();
        m.leading = false;
        AutoCompactor c = new AutoCompactor(m, new AutoCompaction.Revision(10));
        for (long minute = 0; minute <= 20; minute++) {
            m.revision = 1 + 10 * minute;
            c.tick(minute * MINUTE);
        }
        assertEquals(List.of(), m.compactions);
    }
}
