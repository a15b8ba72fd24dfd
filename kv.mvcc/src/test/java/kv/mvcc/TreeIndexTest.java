package kv.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key index: the ordered tree and the hash lookup beside it must always agree. */
class TreeIndexTest {
    private static byte[] key(int i) {
        return String.format("k%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void compactionAcrossChunksRemovesEveryDeadKeyFromBothViews() {
        TreeIndex index = new TreeIndex();
        int n = 25_003; // more than two compaction chunks, removals at every chunk boundary
        long rev = 1;
        for (int i = 0; i < n; i++) {
            index.put(key(i), new Revision(rev++, 0));
        }
        // two keys of every three die: removing them in key order often removes an entry with two
        // children, which TreeMap's iterator reuses for the successor
        int live = 0;
        for (int i = 0; i < n; i++) {
            if (i % 3 != 0) {
                index.tombstone(key(i), new Revision(rev++, 0));
            } else {
                live++;
            }
        }
        Set<Revision> kept = index.compact(rev - 1);
        assertEquals(live, index.size(), "only the live keys stay");
        assertEquals(live, kept.size(), "one revision per live key");
        for (int i = 0; i < n; i++) {
            KeyIndex.Found f = index.get(key(i), rev);
            if (i % 3 != 0) {
                assertNull(f, "deleted key " + i);
            } else {
                assertNotNull(f, "live key " + i);
                assertEquals(1, index.count(key(i), null, rev));
            }
        }
        assertEquals(live, index.count(key(0), new byte[0], rev));
    }

    @Test
    void aKeyPutAgainAfterCompactionRemovedItIsFoundByEveryLookup() {
        TreeIndex index = new TreeIndex();
        index.put(key(1), new Revision(1, 0));
        index.tombstone(key(1), new Revision(2, 0));
        index.compact(2);
        assertEquals(0, index.size());
        index.put(key(1), new Revision(3, 0));
        assertEquals(3, index.get(key(1), 3).modified().main());
        assertEquals(1, index.range(key(0), new byte[0], 3, 0).total());
    }
}
