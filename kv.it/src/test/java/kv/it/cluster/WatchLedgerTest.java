package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watch stream checks of the fault run, fed by hand: each kind of defect is caught. */
class WatchLedgerTest {
    private static WatchLedger.Event put(long rev, String key, String value) {
        return new WatchLedger.Event(rev, key, Optional.of(value));
    }

    private static WatchLedger.Event delete(long rev, String key) {
        return new WatchLedger.Event(rev, key, Optional.empty());
    }

    @Test
    void aCompleteOrderedStreamHasNoProblems() {
        WatchLedger l = new WatchLedger("m1");
        l.accept(List.of(put(2, "a", "1"), put(3, "b", "1")));
        l.accept(List.of());
        l.accept(List.of(delete(4, "a"), put(5, "a", "2"), put(5, "b", "2")));
        assertEquals(List.of(), l.violations());
        assertEquals(List.of(), l.gaps(2, 5, 10));
        assertEquals(5, l.last());
        assertEquals(5, l.events());
        assertTrue(l.has(4, "a", Optional.empty()));
        assertTrue(l.has(5, "b", Optional.of("2")));
        assertFalse(l.has(5, "b", Optional.of("1")), "a write acknowledged with another value is not there");
    }

    @Test
    void duplicatesAndRevisionsSplitOverResponsesAreViolations() {
        WatchLedger dup = new WatchLedger("m1");
        dup.accept(List.of(put(2, "a", "1"), put(3, "a", "2")));
        dup.accept(List.of(put(3, "a", "2")));
        assertEquals(1, dup.violations().size(), dup.violations().toString());

        WatchLedger split = new WatchLedger("m2");
        split.accept(List.of(put(2, "a", "1"), put(3, "a", "2")));
        split.accept(List.of(put(3, "b", "2"), put(4, "b", "3")));
        assertEquals(1, split.violations().size(), "events of revision 3 came in two responses");

        WatchLedger disordered = new WatchLedger("m3");
        disordered.accept(List.of(put(3, "a", "1"), put(2, "a", "2")));
        assertEquals(1, disordered.violations().size());
    }

    @Test
    void gapsAndDisagreementsAreFound() {
        WatchLedger a = new WatchLedger("m1");
        a.accept(List.of(put(2, "a", "1"), put(4, "a", "3")));
        assertEquals(List.of(3L), a.gaps(2, 4, 10));
        assertEquals(List.of(3L, 5L), a.gaps(2, 5, 10));

        WatchLedger b = new WatchLedger("m2");
        b.accept(List.of(put(2, "a", "1"), put(4, "a", "other")));
        assertTrue(a.compare(b).orElseThrow().contains("revision 4"));

        WatchLedger c = new WatchLedger("m3");
        c.accept(List.of(put(2, "a", "1"), put(4, "a", "3"), put(6, "a", "4")));
        assertTrue(a.compare(c).orElseThrow().contains("revision 6 only on m3"));

        WatchLedger same = new WatchLedger("m4");
        same.accept(List.of(put(2, "a", "1")));
        same.accept(List.of(put(4, "a", "3")));
        assertEquals(Optional.empty(), a.compare(same), "how the events were cut into responses does not matter");
    }
}
