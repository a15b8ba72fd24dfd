package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random puts, deletes and range deletes of short keys and of keys up to a few KiB (around LMDB's
 * 511-byte limit and far beyond it), checked against a sorted map inside the write transaction
 * (where an engine merges its pending writes with the stored data), after commit, and after aborts.
 * Complements {@link BackendContract}'s model test, which works on whole transactions; an engine
 * runs it by extending this class and naming its provider (and, optionally, its options).
 */
public abstract class WriteTxModelContract {
    @TempDir
    Path tmp;

    /** The engine under test. */
    protected abstract kv.backend.spi.BackendProvider provider();

    /** How to open it in {@code dir}; engines may set small limits to exercise growth. */
    protected BackendConfig config(Path dir) {
        return BackendConfig.of(dir);
    }

    @Test
    public void matchesASortedMap() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            matchesASortedMap(seed, tmp.resolve("seed-" + seed));
        }
    }

    private void matchesASortedMap(long seed, Path dir) throws IOException {
        Random r = new Random(seed);
        TreeMap<byte[], byte[]> committed = new TreeMap<>(Bytes.ORDER);
        try (Backend db = provider().open(config(dir))) {
            try (WriteTx tx = db.beginWrite()) {
                tx.createBucket("m");
                tx.commit();
            }
            for (int round = 0; round < 12; round++) {
                TreeMap<byte[], byte[]> model = new TreeMap<>(committed);
                boolean abort = r.nextInt(4) == 0;
                try (WriteTx tx = db.beginWrite()) {
                    for (int op = 0; op < 150; op++) {
                        step(r, tx, model);
                    }
                    check(tx, model, r, "seed " + seed + ", round " + round + " inside the write transaction");
                    if (!abort) {
                        tx.commit();
                        committed = model;
                    }
                }
                try (ReadTx tx = db.beginRead()) {
                    check(tx, committed, r, "seed " + seed + ", round " + round + (abort ? " after abort" : " after commit"));
                }
            }
        }
    }

    private static byte[] randomKey(Random r) {
        int len = switch (r.nextInt(4)) {
            case 0 -> 1 + r.nextInt(3);
            case 1 -> 509 + r.nextInt(5);
            case 2 -> 600 + r.nextInt(50);
            default -> 1 + r.nextInt(40);
        };
        byte[] k = new byte[len];
        java.util.Arrays.fill(k, (byte) 0x41);
        // few distinct keys (many overwrites and hits); long keys differ inside and after LMDB's
        // 511-byte prefix, so that several groups of several members each come up
        k[len - 1] = (byte) (r.nextInt(4) * 0x55);
        if (len > 512) {
            k[510] = (byte) (r.nextInt(3) * 0x7f);
        }
        return k;
    }

    private static void step(Random r, WriteTx tx, TreeMap<byte[], byte[]> model) {
        byte[] k = randomKey(r);
        switch (r.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> {
                byte[] v = new byte[r.nextInt(r.nextInt(20) == 0 ? 5000 : 40)];
                r.nextBytes(v);
                tx.put("m", k, v);
                model.put(k, v);
            }
            case 5, 6, 7 -> assertEquals(model.remove(k) != null, tx.delete("m", k), "delete's answer");
            default -> {
                byte[] to = r.nextBoolean() ? null : randomKey(r);
                Map<byte[], byte[]> range = to == null ? model.tailMap(k, true)
                        : Bytes.compare(k, to) < 0 ? model.subMap(k, true, to, false) : Map.of();
                int n = range.size();
                if (n > 0) {
                    range.clear();
                }
                assertEquals(n, tx.deleteRange("m", k, to), "deleteRange's count");
            }
        }
    }

    private static void check(ReadTx tx, TreeMap<byte[], byte[]> model, Random r, String context) {
        List<byte[]> keys = new ArrayList<>(model.keySet());
        try (Cursor c = tx.cursor("m")) {
            int i = 0;
            for (boolean ok = c.first(); ok; ok = c.next(), i++) {
                assertArrayEquals(keys.get(i), c.key(), context + ": forward " + i);
                assertArrayEquals(model.get(keys.get(i)), c.value(), context + ": value " + i);
            }
            assertEquals(keys.size(), i, context + ": forward count");
            for (boolean ok = c.last(); ok; ok = c.prev()) {
                i--;
                assertArrayEquals(keys.get(i), c.key(), context + ": backward " + i);
            }
            assertEquals(0, i, context + ": backward count");
            for (int s = 0; s < 30; s++) {
                byte[] probe = randomKey(r);
                byte[] expected = model.ceilingKey(probe);
                assertEquals(expected != null, c.seek(probe), context + ": seek found");
                if (expected != null) {
                    assertArrayEquals(expected, c.key(), context + ": seek");
                    byte[] below = model.lowerKey(expected);
                    assertEquals(below != null, c.prev(), context + ": prev after seek");
                    if (below != null) {
                        assertArrayEquals(below, c.key(), context + ": prev after seek");
                    }
                }
            }
        }
        for (int s = 0; s < 30; s++) {
            byte[] probe = randomKey(r);
            byte[] v = model.get(probe);
            if (v == null) {
                assertNull(tx.get("m", probe), context + ": get of an absent key");
            } else {
                assertArrayEquals(v, tx.get("m", probe), context + ": get");
            }
        }
    }
}
