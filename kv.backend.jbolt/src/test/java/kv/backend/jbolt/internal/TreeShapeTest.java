package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltStats;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Splits on insert, merges (rebalance) on delete, root growth and collapse, large keys and values. */
class TreeShapeTest {
    @TempDir
    Path dir;

    static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private JboltDb open() throws Exception {
        return JboltDb.open(dir.resolve("t.db"), new JboltOptions(1024, Durability.NO_SYNC));
    }

    @Test
    void insertsSplitAndDeletesMergeBackToOneLeaf() throws Exception {
        try (JboltDb db = open()) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("b");
                for (int i = 0; i < 5000; i++) {
                    b.put(key(i), new byte[20]);
                }
                tx.commit();
            }
            JboltStats grown = db.stats();
            assertTrue(grown.depth() >= 3, "depth after 5000 keys: " + grown);
            assertTrue(grown.leafPages() > 100, "leaves: " + grown);
            assertTrue(grown.leafFill() > 0.5, "fill: " + grown);
            assertEquals(List.of(), db.check());
            // delete in many small transactions, as a workload would
            for (int from = 0; from < 5000; from += 500) {
                try (JboltTx tx = db.begin(true)) {
                    for (int i = from; i < from + 500; i++) {
                        if (i % 1000 != 0) {
                            assertTrue(tx.bucket("b").delete(key(i)));
                        }
                    }
                    tx.commit();
                }
                assertEquals(List.of(), db.check(), "after deleting up to " + from);
            }
            JboltStats shrunk = db.stats();
            assertEquals(5, shrunk.keys());
            assertEquals(1, shrunk.depth(), "every tree is one root leaf again: " + shrunk);
            try (JboltTx tx = db.begin(false)) {
                for (int i = 0; i < 5000; i += 1000) {
                    assertArrayEquals(new byte[20], tx.bucket("b").get(key(i)));
                }
                assertNull(tx.bucket("b").get(key(1)));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"100,20000", "0,19900", "50,19950", "1,2", "5000,15000", "0,20000", "19999,20000"})
    void largeRangeDeletesCollapseWholeSubtrees(int from, int to) throws Exception {
        try (JboltDb db = open()) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("b");
                for (int i = 0; i < 20000; i++) {
                    b.put(key(i), new byte[60]);
                }
                tx.commit();
            }
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.bucket("b");
                for (int i = from; i < to; i++) {
                    assertTrue(b.delete(key(i)));
                }
                tx.commit();
            }
            assertEquals(List.of(), db.check());
            assertEquals(20000 - (to - from), db.stats().keys());
            try (JboltTx tx = db.begin(false); kv.backend.Cursor c = tx.bucket("b").cursor()) {
                java.util.Iterator<Integer> expect = java.util.stream.IntStream.range(0, 20000)
                        .filter(i -> i < from || i >= to).iterator();
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    assertArrayEquals(key(expect.next()), c.key());
                }
                assertTrue(!expect.hasNext(), "keys missing after the range delete");
            }
        }
    }

    @Test
    void sequentialSinglePutCommitsKeepTheTreeValid() throws Exception {
        try (JboltDb db = open()) {
            for (int i = 0; i < 600; i++) {
                try (JboltTx tx = db.begin(true)) {
                    tx.createBucket("b").put(key(i), new byte[30]);
                    tx.commit();
                }
            }
            assertEquals(List.of(), db.check());
            JboltStats s = db.stats();
            assertEquals(600, s.keys());
            // pages freed by earlier commits are reused: the file stays near the live size
            assertTrue(s.pageCount() < 3 * (s.leafPages() + s.branchPages()) + 10, s.toString());
        }
    }

    @Test
    void largeKeysAndOneMebibyteValuesSpanPages() throws Exception {
        byte[] big = new byte[1 << 20];
        new java.util.Random(1).nextBytes(big);
        byte[] bigKey = new byte[kv.backend.Backend.MAX_KEY_SIZE];
        bigKey[0] = 5;
        try (JboltDb db = open()) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("b");
                for (int i = 0; i < 8; i++) {
                    b.put(key(i), big);
                    b.put(key(1000 + i), new byte[10]);
                }
                b.put(bigKey, big);
                tx.commit();
            }
            assertEquals(List.of(), db.check());
            assertTrue(db.stats().overflowPages() > 8 * 1024, db.stats().toString());
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.bucket("b");
                assertArrayEquals(big, b.get(key(3)));
                assertArrayEquals(big, b.get(bigKey));
                b.put(key(3), new byte[1]);
                assertTrue(b.delete(key(4)));
                tx.commit();
            }
            assertEquals(List.of(), db.check());
            try (JboltTx tx = db.begin(false)) {
                JboltBucket b = tx.bucket("b");
                assertArrayEquals(new byte[1], b.get(key(3)));
                assertNull(b.get(key(4)));
                assertArrayEquals(big, b.get(key(5)));
                assertArrayEquals(big, b.get(bigKey));
            }
        }
    }

    @Test
    void deletingABucketFreesAllItsPages() throws Exception {
        try (JboltDb db = open()) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("big");
                for (int i = 0; i < 3000; i++) {
                    b.put(key(i), new byte[50]);
                }
                tx.createBucket("small").put(key(1), key(1));
                tx.commit();
            }
            long before = db.stats().pageCount();
            try (JboltTx tx = db.begin(true)) {
                assertTrue(tx.deleteBucket("big"));
                tx.commit();
            }
            assertEquals(List.of(), db.check());
            JboltStats s = db.stats();
            assertTrue(s.pageCount() <= before + 4, "the larger free list may need a fresh run: " + s);
            assertTrue(s.freePages() + s.pendingPages() > before / 2, s.toString());
            assertEquals(List.of("small"), bucketNames(db));
        }
    }

    private static List<String> bucketNames(JboltDb db) {
        try (JboltTx tx = db.begin(false)) {
            return tx.bucketNames();
        }
    }
}
