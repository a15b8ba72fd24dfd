package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * The reference a backend is checked against: buckets of {@link TreeMap}s ordered by
 * {@link Bytes#ORDER}. Mutable, not thread-safe; {@link #copy()} gives an independent snapshot.
 */
final class Model {
    private final TreeMap<String, TreeMap<byte[], byte[]>> buckets = new TreeMap<>();

    Model copy() {
        Model m = new Model();
        buckets.forEach((name, entries) -> m.buckets.put(name, new TreeMap<>(entries)));
        return m;
    }

    boolean createBucket(String bucket) {
        return buckets.putIfAbsent(bucket, new TreeMap<>(Bytes.ORDER)) == null;
    }

    boolean deleteBucket(String bucket) {
        return buckets.remove(bucket) != null;
    }

    boolean hasBucket(String bucket) {
        return buckets.containsKey(bucket);
    }

    List<String> bucketNames() {
        return new ArrayList<>(buckets.keySet());
    }

    void put(String bucket, byte[] key, byte[] value) {
        buckets.get(bucket).put(key.clone(), value.clone());
    }

    boolean delete(String bucket, byte[] key) {
        return buckets.get(bucket).remove(key) != null;
    }

    long deleteRange(String bucket, byte[] from, byte[] to) {
        NavigableMap<byte[], byte[]> range = to == null
                ? buckets.get(bucket).tailMap(from, true)
                : Bytes.compare(from, to) >= 0 ? new TreeMap<>(Bytes.ORDER) : buckets.get(bucket).subMap(from, true, to, false);
        long n = range.size();
        range.clear();
        return n;
    }

    byte[] get(String bucket, byte[] key) {
        TreeMap<byte[], byte[]> b = buckets.get(bucket);
        return b == null ? null : b.get(key);
    }

    /** The entries of one bucket (live view, do not modify). */
    NavigableMap<byte[], byte[]> entries(String bucket) {
        return buckets.get(bucket);
    }

    long entryCount() {
        return buckets.values().stream().mapToLong(Map::size).sum();
    }

    /** Writes the whole model into {@code tx}: buckets first, then entries. */
    void writeTo(WriteTx tx) {
        buckets.forEach((name, entries) -> {
            tx.createBucket(name);
            entries.forEach((k, v) -> tx.put(name, k, v));
        });
    }

    /**
     * Asserts that {@code tx} holds exactly this content: bucket list, a forward and a backward
     * cursor walk over every bucket, and a get of every key.
     */
    void assertMatches(ReadTx tx, String context) {
        assertEquals(bucketNames(), tx.buckets(), context + ": bucket list");
        for (var b : buckets.entrySet()) {
            assertTrue(tx.hasBucket(b.getKey()), context + ": hasBucket " + b.getKey());
            assertBucket(tx, b.getKey(), b.getValue(), context);
        }
    }

    private static void assertBucket(ReadTx tx, String bucket, TreeMap<byte[], byte[]> expected, String context) {
        String where = context + ": bucket " + bucket;
        try (Cursor c = tx.cursor(bucket)) {
            boolean ok = c.first();
            for (var e : expected.entrySet()) {
                assertTrue(ok, where + ": forward walk ended before key " + hex(e.getKey()));
                assertEntry(e.getKey(), e.getValue(), c.key(), c.value(), where + " (forward)");
                ok = c.next();
            }
            if (ok) {
                fail(where + ": forward walk found unexpected key " + hex(c.key()));
            }
            ok = c.last();
            for (var e : expected.descendingMap().entrySet()) {
                assertTrue(ok, where + ": backward walk ended before key " + hex(e.getKey()));
                assertEntry(e.getKey(), e.getValue(), c.key(), c.value(), where + " (backward)");
                ok = c.prev();
            }
            assertFalse(ok, () -> where + ": backward walk found unexpected key " + hex(c.key()));
        }
        for (var e : expected.entrySet()) {
            byte[] v = tx.get(bucket, e.getKey());
            assertEntry(e.getKey(), e.getValue(), e.getKey(), v, where + " (get)");
        }
    }

    static void assertEntry(byte[] key, byte[] value, byte[] actualKey, byte[] actualValue, String where) {
        assertArrayEquals(key, actualKey, () -> where + ": expected key " + hex(key) + " got " + hex(actualKey));
        if (value == null) {
            assertNull(actualValue, () -> where + ": key " + hex(key) + " should be absent");
            return;
        }
        assertArrayEquals(value, actualValue, () -> where + ": value of key " + hex(key) + " expected "
                + hex(value) + " got " + hex(actualValue));
    }

    /** Hex of at most 32 bytes, with the length when longer: for messages. */
    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        if (b.length <= 32) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        return "0x" + HexFormat.of().formatHex(b, 0, 32) + "...(" + b.length + " bytes)";
    }
}
