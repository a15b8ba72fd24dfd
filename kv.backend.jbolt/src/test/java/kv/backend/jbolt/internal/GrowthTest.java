package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file grows far beyond the first map while a reader holds an old snapshot: the reader keeps
 * seeing its state through the old mapping generation, pages it can see are not reused, and the
 * old generation is unmapped once it ends.
 */
class GrowthTest {
    @TempDir
    Path dir;

    @Test
    void readerKeepsItsSnapshotAcrossRemaps() throws Exception {
        try (JboltDb db = JboltDb.open(dir.resolve("g.db"), new JboltOptions(4096, Durability.NO_SYNC))) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("b");
                for (int i = 0; i < 100; i++) {
                    b.put(key(i), value(i, 0));
                }
                tx.commit();
            }
            Engine engine = CheckTest.engineOf(db);
            var firstMap = engine.currentSegment();
            long firstSize = db.sizeOnDisk();
            JboltTx reader = db.begin(false);
            for (int round = 1; round <= 20; round++) {
                try (JboltTx tx = db.begin(true)) {
                    JboltBucket b = tx.bucket("b");
                    for (int i = 0; i < 100; i++) {
                        b.put(key(i), value(i, round));
                    }
                    for (int i = 0; i < 400; i++) {
                        b.put(key(1000 + round * 1000 + i), new byte[1000]);
                    }
                    tx.commit();
                }
            }
            assertTrue(db.sizeOnDisk() > 16 * firstSize, "grew from " + firstSize + " to " + db.sizeOnDisk());
            assertNotSame(firstMap, engine.currentSegment());
            assertTrue(firstMap.scope().isAlive(), "the reader's generation stays mapped");
            JboltBucket old = reader.bucket("b");
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(value(i, 0), old.get(key(i)));
            }
            assertNull(old.get(key(2000)));
            try (Cursor c = old.cursor()) {
                int n = 0;
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    n++;
                }
                assertEquals(100, n);
            }
            reader.close();
            assertTrue(!firstMap.scope().isAlive(), "the old generation is unmapped after its last reader");
            assertEquals(List.of(), db.check());
            try (JboltTx tx = db.begin(false)) {
                assertArrayEquals(value(5, 20), tx.bucket("b").get(key(5)));
            }
        }
    }

    private static byte[] value(int i, int round) {
        byte[] v = new byte[300];
        java.util.Arrays.fill(v, (byte) (i * 31 + round));
        return v;
    }
}
