package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random puts, deletes, range deletes, bucket drops, commits and rollbacks against a TreeMap model,
 * on 1 KiB pages so that splits, merges and root changes happen constantly; after every commit the
 * content matches the model (forward and backward) and check() finds nothing.
 */
class ModelTest {
    @TempDir
    Path dir;

    private final Map<String, TreeMap<byte[], byte[]>> model = new TreeMap<>();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void matchesModel(long seed) throws Exception {
        Random r = new Random(seed);
        Path file = dir.resolve("m.db");
        JboltDb db = JboltDb.open(file, new JboltOptions(1024, Durability.NO_SYNC));
        try {
            for (int round = 0; round < 60; round++) {
                Map<String, TreeMap<byte[], byte[]>> before = copy(model);
                JboltTx tx = db.begin(true);
                int ops = 1 + r.nextInt(r.nextInt(10) == 0 ? 2000 : 100);
                for (int i = 0; i < ops; i++) {
                    step(tx, r);
                }
                if (r.nextInt(8) == 0) {
                    tx.close();
                    model.clear();
                    model.putAll(before);
                } else {
                    tx.commit();
                }
                if (r.nextInt(10) == 0) {
                    db.close();
                    db = JboltDb.open(file, new JboltOptions(1024, Durability.NO_SYNC));
                }
                assertEquals(List.of(), db.check(), "check after round " + round);
                try (JboltTx rt = db.begin(false)) {
                    assertMatches(rt, "round " + round);
                }
            }
        } finally {
            db.close();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kv.long", matches = "true")
    void matchesModelForManySeeds() throws Exception {
        for (long seed = 100; seed < 400; seed++) {
            model.clear();
            Path sub = dir.resolve("s" + seed);
            java.nio.file.Files.createDirectories(sub);
            dir = sub;
            matchesModel(seed);
        }
    }

    private void step(JboltTx tx, Random r) {
        String name = "b" + r.nextInt(3);
        int op = r.nextInt(100);
        if (op < 2) {
            assertEquals(model.remove(name) != null, tx.deleteBucket(name));
            return;
        }
        JboltBucket b = tx.createBucket(name);
        TreeMap<byte[], byte[]> m = model.computeIfAbsent(name, k -> new TreeMap<>(Bytes.ORDER));
        byte[] key = key(r);
        if (op < 65) {
            byte[] v = value(r);
            b.put(key, v);
            m.put(key, v);
        } else if (op < 85) {
            assertEquals(m.remove(key) != null, b.delete(key), "delete");
        } else if (op < 88) {
            byte[] to = key(r);
            if (Arrays.compareUnsigned(key, to) > 0) {
                byte[] t = key;
                key = to;
                to = t;
            }
            deleteRange(b, key, to);
            m.subMap(key, to).clear();
        } else {
            assertArrayEquals(m.get(key), b.get(key), "get");
        }
    }

    private static void deleteRange(JboltBucket b, byte[] from, byte[] to) {
        try (Cursor c = b.cursor()) {
            for (boolean ok = c.seek(from); ok && Arrays.compareUnsigned(c.key(), to) < 0; ok = c.next()) {
                assertTrue(b.delete(c.key()));
            }
        }
    }

    private void assertMatches(JboltTx tx, String context) {
        assertEquals(new ArrayList<>(model.keySet()), tx.bucketNames(), context);
        for (var e : model.entrySet()) {
            JboltBucket b = tx.bucket(e.getKey());
            List<byte[]> keys = new ArrayList<>();
            try (Cursor c = b.cursor()) {
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    keys.add(c.key());
                    assertArrayEquals(e.getValue().get(c.key()), c.value(), context);
                }
                assertEquals(e.getValue().size(), keys.size(), context + " size of " + e.getKey());
                int i = keys.size();
                for (boolean ok = c.last(); ok; ok = c.prev()) {
                    assertArrayEquals(keys.get(--i), c.key(), context + " backwards");
                }
                assertEquals(0, i);
            }
            for (byte[] k : e.getValue().keySet()) {
                assertArrayEquals(e.getValue().get(k), b.get(k));
            }
        }
        assertNull(tx.bucket("absent"));
        assertFalse(model.containsKey("absent"));
    }

    private static byte[] key(Random r) {
        int len = 1 + r.nextInt(r.nextInt(20) == 0 ? 600 : 6);
        byte[] k = new byte[len];
        for (int i = 0; i < len; i++) {
            k[i] = (byte) (r.nextInt(4) == 0 ? 0xff : r.nextInt(8));
        }
        return k;
    }

    private static byte[] value(Random r) {
        int len = r.nextInt(20) == 0 ? r.nextInt(5000) : r.nextInt(40);
        byte[] v = new byte[len];
        r.nextBytes(v);
        return v;
    }

    private static Map<String, TreeMap<byte[], byte[]>> copy(Map<String, TreeMap<byte[], byte[]>> m) {
        Map<String, TreeMap<byte[], byte[]>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }
}
