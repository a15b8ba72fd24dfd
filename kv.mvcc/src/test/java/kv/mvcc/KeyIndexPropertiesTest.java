package kv.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The key index of one key against a naive reading of its history: what a read at any revision
 * sees, before and after a compaction, and which revisions a compaction keeps.
 */
class KeyIndexPropertiesTest {
    private record Change(Revision rev, boolean tombstone) {}

    /** Builds a history: 0 deletes (when live), other values put; 5 stays in the same main revision. */
    private static List<Change> history(List<Integer> steps) {
        List<Change> out = new ArrayList<>();
        long main = 0;
        long sub = 0;
        boolean live = false;
        for (int s : steps) {
            if (s == 5 && !out.isEmpty()) {
                sub++;
            } else {
                main += 1 + s % 2;
                sub = 0;
            }
            boolean tomb = s == 0 && live;
            out.add(new Change(new Revision(main, sub), tomb));
            live = !tomb;
        }
        return out;
    }

    /** The naive read at {@code at}: null, or {modified, created main, version}. */
    private static String naiveGet(List<Change> h, long at) {
        int last = -1;
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).rev().main() <= at) {
                last = i;
            }
        }
        if (last < 0 || h.get(last).tombstone()) {
            return "none";
        }
        int first = last;
        while (first > 0 && !h.get(first - 1).tombstone()) {
            first--;
        }
        return "mod " + h.get(last).rev() + " created " + h.get(first).rev().main() + " ver " + (last - first + 1);
    }

    private static String get(KeyIndex ki, long at) {
        KeyIndex.Found f = ki.get(at);
        return f == null ? "none" : "mod " + f.modified() + " created " + f.created().main() + " ver " + f.version();
    }

    @Property(tries = 300)
    void readsAndCompaction(@ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 5) Integer> steps,
            @ForAll @IntRange(min = 0, max = 50) int compactAt) {
        List<Change> h = history(steps);
        KeyIndex ki = new KeyIndex(new byte[] {'k'});
        for (Change c : h) {
            if (c.tombstone()) {
                ki.tombstone(c.rev().main(), c.rev().sub());
            } else {
                ki.put(c.rev().main(), c.rev().sub());
            }
        }
        long top = h.getLast().rev().main() + 2;
        for (long at = 0; at <= top; at++) {
            assertEquals(naiveGet(h, at), get(ki, at), "read at " + at);
        }
        Set<Revision> kept = new HashSet<>();
        ki.keep(compactAt, kept);
        Set<Revision> available = new HashSet<>();
        ki.compact(compactAt, available);
        assertEquals(kept, available, "keep and compact agree");
        Set<Revision> expected = new HashSet<>();
        Change lastAtOrBelow = null;
        for (Change c : h) {
            if (c.rev().main() <= compactAt) {
                lastAtOrBelow = c;
            }
        }
        if (lastAtOrBelow != null && !lastAtOrBelow.tombstone()) {
            expected.add(lastAtOrBelow.rev());
        }
        assertEquals(expected, available, "a compaction keeps the version a read at its revision sees");
        for (long at = compactAt; at <= top; at++) {
            assertEquals(naiveGet(h, at), get(ki, at), "read at " + at + " after compacting at " + compactAt);
        }
    }
}
