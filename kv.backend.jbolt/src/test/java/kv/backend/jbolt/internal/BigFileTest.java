package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** A file past 2 GiB: pages beyond the int range are written, mapped, read, checked and reopened. */
@EnabledIfSystemProperty(named = "kv.long", matches = "true")
class BigFileTest {
    private static final int VALUES = 2300;

    @TempDir
    Path dir;

    private static byte[] value(int i) {
        byte[] v = new byte[1 << 20];
        Arrays.fill(v, (byte) i);
        v[0] = (byte) (i >> 8);
        return v;
    }

    @Test
    void fileBeyondTwoGibibytes() throws Exception {
        Path file = dir.resolve("big.db");
        try (JboltDb db = JboltDb.open(file, new JboltOptions(4096, Durability.NO_SYNC))) {
            JboltTx reader = null;
            for (int start = 0; start < VALUES; start += 100) {
                try (JboltTx tx = db.begin(true)) {
                    JboltBucket b = tx.createBucket("big");
                    for (int i = start; i < Math.min(VALUES, start + 100); i++) {
                        b.put(key(i), value(i));
                    }
                    tx.commit();
                }
                if (reader == null) {
                    reader = db.begin(false); // holds the first, small mapping generation throughout
                }
            }
            db.sync();
            assertTrue(Files.size(file) > (1L << 31) + (100L << 20), "file size " + Files.size(file));
            assertArrayEquals(value(50), reader.bucket("big").get(key(50)));
            reader.close();
            assertEquals(List.of(), db.check());
        }
        try (JboltDb db = JboltDb.open(file, JboltOptions.defaults()); JboltTx tx = db.begin(false)) {
            for (int i = VALUES - 1; i >= 0; i -= 97) {
                assertArrayEquals(value(i), tx.bucket("big").get(key(i)), "value " + i);
            }
            assertArrayEquals(value(VALUES - 1), tx.bucket("big").get(key(VALUES - 1)));
        }
    }
}
