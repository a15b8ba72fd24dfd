package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cursor edges: empty trees, the ends, seeks between and past keys, and writes under an open cursor. */
class CursorTest {
    @TempDir
    Path dir;

    private JboltDb open() throws Exception {
        return JboltDb.open(dir.resolve("c.db"), new JboltOptions(1024, Durability.NO_SYNC));
    }

    /** Keys 0, 2, 4, ... 2(n-1). */
    private static void fill(JboltDb db, int n) {
        try (JboltTx tx = db.begin(true)) {
            JboltBucket b = tx.createBucket("b");
            for (int i = 0; i < n; i++) {
                b.put(key(2 * i), key(i));
            }
            tx.commit();
        }
    }

    @Test
    void emptyBucket() throws Exception {
        try (JboltDb db = open()) {
            fill(db, 0);
            try (JboltTx tx = db.begin(false); Cursor c = tx.bucket("b").cursor()) {
                assertFalse(c.first());
                assertFalse(c.last());
                assertFalse(c.seek(key(1)));
                assertFalse(c.next());
                assertFalse(c.prev());
                assertThrows(IllegalStateException.class, c::key);
                assertThrows(IllegalStateException.class, c::value);
            }
        }
    }

    @Test
    void endsAndSeeksAcrossManyPages() throws Exception {
        try (JboltDb db = open()) {
            fill(db, 2000);
            try (JboltTx tx = db.begin(false); Cursor c = tx.bucket("b").cursor()) {
                assertTrue(c.first());
                assertArrayEquals(key(0), c.key());
                assertFalse(c.prev());
                assertTrue(c.last());
                assertArrayEquals(key(3998), c.key());
                assertFalse(c.next());
                assertThrows(IllegalStateException.class, c::key);
                for (int i = 0; i < 3998; i += 37) {
                    assertTrue(c.seek(key(i)), "seek " + i);
                    int expect = i % 2 == 0 ? i : i + 1;
                    assertArrayEquals(key(expect), c.key());
                    assertArrayEquals(key(expect / 2), c.value());
                    assertTrue(c.next());
                    assertArrayEquals(key(expect + 2), c.key());
                    assertTrue(c.prev());
                    assertTrue(c.prev() == (expect > 0));
                }
                assertFalse(c.seek(key(3999)));
                assertTrue(c.seek(new byte[] {0}));
                assertArrayEquals(key(0), c.key());
                int n = 0;
                for (boolean ok = c.last(); ok; ok = c.prev()) {
                    n++;
                }
                assertTrue(n == 2000, "backward count " + n);
            }
        }
    }

    @Test
    void writesUnderAnOpenCursorKeepItSensible() throws Exception {
        try (JboltDb db = open()) {
            fill(db, 500);
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.bucket("b");
                try (Cursor c = b.cursor()) {
                    // delete every entry while walking: next() lands on the successor of the deleted key
                    int n = 0;
                    for (boolean ok = c.first(); ok; ok = c.next()) {
                        assertArrayEquals(key(2 * n), c.key());
                        assertTrue(b.delete(c.key()));
                        n++;
                    }
                    assertTrue(n == 500);
                    assertFalse(c.first());
                    b.put(key(7), key(7));
                    b.put(key(9), key(9));
                    assertTrue(c.seek(key(8)));
                    b.put(key(8), key(8));
                    assertTrue(c.prev());
                    assertArrayEquals(key(8), c.key(), "prev after an insert re-seeks from 9");
                }
                tx.commit();
            }
        }
    }

    @Test
    void keysCompareUnsigned() throws Exception {
        try (JboltDb db = open()) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("b");
                b.put(new byte[] {(byte) 0xff}, new byte[0]);
                b.put(new byte[] {0x01}, new byte[0]);
                b.put(new byte[] {0x01, 0x00}, new byte[0]);
                b.put(new byte[] {(byte) 0x80}, new byte[0]);
                tx.commit();
            }
            try (JboltTx tx = db.begin(false); Cursor c = tx.bucket("b").cursor()) {
                byte[][] order = {{0x01}, {0x01, 0x00}, {(byte) 0x80}, {(byte) 0xff}};
                int i = 0;
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    assertArrayEquals(order[i++], c.key());
                }
                assertTrue(i == 4);
                assertTrue(c.seek(new byte[] {0x7f}));
                assertArrayEquals(order[2], c.key());
            }
        }
    }
}
