package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import kv.backend.Backend;
import kv.backend.Cursor;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;

/** Basic reads and writes: key order, empty keys and values, big values, buckets, ranges, cursors. */
public abstract class CrudContract extends ContractGroup {
    protected CrudContract() {}

    /** Keys in the order every engine must keep them (unsigned bytes, a prefix before its extensions). */
    static List<byte[]> orderedKeys() {
        return List.of(bytes(0x00), bytes(0x00, 0x00), bytes(0x00, 0xff), bytes(0x01), bytes(0x41),
                bytes(0x41, 0x00), bytes(0x41, 0x41), bytes(0x41, 0x41, 0x41), bytes(0x42), bytes(0x7f),
                bytes(0x7f, 0xff), bytes(0x80), bytes(0x80, 0x00), bytes(0x81), bytes(0xfe, 0xff), bytes(0xff),
                bytes(0xff, 0x00), bytes(0xff, 0xff), bytes(0xff, 0xff, 0xff));
    }

    @Test
    public void identity() {
        Backend b = open("s");
        assertEquals(provider().name(), b.engine(), "engine() is the provider's name");
        assertEquals(tmp.resolve("s"), b.directory(), "directory() is the configured directory");
        assertTrue(b.sizeOnDisk() >= 0 && b.sizeInUse() >= 0, "sizes are not negative");
    }

    @Test
    public void unsignedByteOrderForwardAndBackward() {
        Backend b = open("s");
        List<byte[]> shuffled = new ArrayList<>(orderedKeys());
        Collections.shuffle(shuffled, new Random(42));
        write(b, tx -> {
            tx.createBucket("k");
            shuffled.forEach(k -> tx.put("k", k, k));
        });
        List<byte[]> expected = orderedKeys();
        try (ReadTx tx = b.beginRead(); Cursor c = tx.cursor("k")) {
            int i = 0;
            for (boolean ok = c.first(); ok; ok = c.next()) {
                assertArrayEquals(expected.get(i), c.key(), "forward position " + i + " (unsigned order)");
                assertArrayEquals(expected.get(i), c.value(), "value at forward position " + i);
                i++;
            }
            assertEquals(expected.size(), i, "forward walk length");
            for (boolean ok = c.last(); ok; ok = c.prev()) {
                i--;
                assertArrayEquals(expected.get(i), c.key(), "backward position " + i + " (unsigned order)");
            }
            assertEquals(0, i, "backward walk length");
        }
    }

    @Test
    public void seekLandsOnTheSmallestKeyNotBelow() {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("k");
            for (int i = 10; i <= 50; i += 10) {
                tx.put("k", bytes(i), bytes(i));
            }
            tx.put("k", bytes(0x80), bytes(0x80));
        });
        try (ReadTx tx = b.beginRead(); Cursor c = tx.cursor("k")) {
            assertTrue(c.seek(bytes(20)));
            assertArrayEquals(bytes(20), c.key(), "seek to an existing key");
            assertTrue(c.seek(bytes(21)));
            assertArrayEquals(bytes(30), c.key(), "seek between keys");
            assertTrue(c.seek(bytes(0)));
            assertArrayEquals(bytes(10), c.key(), "seek before the first key");
            assertTrue(c.seek(bytes(0x51)));
            assertArrayEquals(bytes(0x80), c.key(), "seek across the sign boundary");
            assertFalse(c.seek(bytes(0x81)), "seek past the last key");
            assertThrows(IllegalStateException.class, c::key, "key() when not positioned");
            assertTrue(c.seek(bytes(30)));
            assertTrue(c.prev());
            assertArrayEquals(bytes(20), c.key(), "prev after seek");
            assertTrue(c.next());
            assertTrue(c.next());
            assertArrayEquals(bytes(40), c.key(), "next after prev");
            assertTrue(c.first());
            assertFalse(c.prev(), "prev before the first key");
            assertTrue(c.last());
            assertArrayEquals(bytes(0x80), c.key(), "last");
            assertFalse(c.next(), "next after the last key");
            assertThrows(IllegalStateException.class, c::value, "value() when not positioned");
        }
    }

    @Test
    public void emptyBucketCursor() {
        Backend b = open("s");
        write(b, tx -> tx.createBucket("e"));
        try (ReadTx tx = b.beginRead(); Cursor c = tx.cursor("e")) {
            assertFalse(c.first());
            assertFalse(c.last());
            assertFalse(c.seek(bytes(0)));
        }
    }

    @Test
    public void emptyKeyIsRejectedEmptyValueIsKept() {
        Backend b = open("s");
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("k");
            assertThrows(IllegalArgumentException.class, () -> tx.put("k", new byte[0], bytes(1)), "empty key");
            tx.put("k", bytes(1), new byte[0]);
            tx.commit();
        }
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            byte[] v = tx.get("k", bytes(1));
            assertNotNull(v, "an empty value is a value, not an absent key");
            assertEquals(0, v.length);
            assertEquals(List.of("k"), tx.buckets());
        }
    }

    @Test
    public void oneMebibyteValuesSurviveReopen() {
        Backend b = open("s");
        Model model = new Model();
        model.createBucket("big");
        Random r = new Random(7);
        for (int i = 0; i < 8; i++) {
            byte[] v = new byte[(1 << 20) - 3 + i];
            r.nextBytes(v);
            model.put("big", bytes(i), v);
        }
        write(b, model::writeTo);
        write(b, tx -> tx.put("big", bytes(3), bytes(3))); // a big value replaced by a small one
        model.put("big", bytes(3), bytes(3));
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after reopen");
        }
    }

    @Test
    public void bucketsAreCreatedListedAndDeleted() {
        Backend b = open("s");
        try (WriteTx tx = b.beginWrite()) {
            assertTrue(tx.createBucket("b"));
            assertTrue(tx.createBucket("a"));
            assertTrue(tx.createBucket("c"));
            assertFalse(tx.createBucket("b"), "creating an existing bucket");
            tx.put("b", bytes(1), bytes(1));
            tx.put("b", bytes(2), bytes(2));
            tx.put("a", bytes(1), bytes(9));
            tx.commit();
        }
        try (ReadTx tx = b.beginRead()) {
            assertEquals(List.of("a", "b", "c"), tx.buckets(), "buckets are listed sorted");
        }
        try (WriteTx tx = b.beginWrite()) {
            assertTrue(tx.deleteBucket("b"));
            assertFalse(tx.deleteBucket("b"), "deleting a deleted bucket");
            assertFalse(tx.deleteBucket("zz"), "deleting a missing bucket");
            assertFalse(tx.hasBucket("b"));
            assertTrue(tx.createBucket("b"));
            assertNull(tx.get("b", bytes(1)), "a recreated bucket starts empty");
            tx.commit();
        }
        b = reopen(b);
        try (ReadTx tx = b.beginRead(); Cursor c = tx.cursor("b")) {
            assertEquals(List.of("a", "b", "c"), tx.buckets());
            assertFalse(c.first(), "recreated bucket is empty after reopen");
            assertArrayEquals(bytes(9), tx.get("a", bytes(1)), "other buckets untouched");
        }
    }

    @Test
    public void twoHundredBucketsAreKeptApart() {
        Backend b = open("s");
        Model model = new Model();
        for (int i = 0; i < 200; i++) {
            String name = String.format("bucket-%03d", i);
            model.createBucket(name);
            for (int k = 0; k < 3; k++) {
                model.put(name, bytes(k), utf8(name + "/" + k));
            }
        }
        write(b, model::writeTo);
        write(b, tx -> {
            for (int i = 0; i < 200; i += 2) {
                String name = String.format("bucket-%03d", i);
                tx.deleteBucket(name);
                model.deleteBucket(name);
            }
        });
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "100 of 200 buckets deleted, after reopen");
        }
    }

    @Test
    public void deleteRangeIncludesFromExcludesTo() {
        Backend b = open("s");
        Model model = new Model();
        model.createBucket("r");
        for (byte[] k : orderedKeys()) {
            model.put("r", k, k);
        }
        write(b, model::writeTo);
        try (WriteTx tx = b.beginWrite()) {
            assertEquals(model.deleteRange("r", bytes(0x41), bytes(0x42)), tx.deleteRange("r", bytes(0x41), bytes(0x42)), "[A, B)");
            assertEquals(0, tx.deleteRange("r", bytes(0x7f), bytes(0x7f)), "empty range from == to");
            assertEquals(0, tx.deleteRange("r", bytes(0x90), bytes(0x10)), "empty range from > to");
            assertEquals(model.deleteRange("r", bytes(0x7f, 0xff), bytes(0x81)), tx.deleteRange("r", bytes(0x7f, 0xff), bytes(0x81)));
            assertEquals(model.deleteRange("r", bytes(0xff, 0x00), null), tx.deleteRange("r", bytes(0xff, 0x00), null), "to the end");
            model.assertMatches(tx, "inside the write transaction");
            tx.commit();
        }
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after commit");
            assertNotNull(tx.get("r", bytes(0x42)), "the exclusive end stays");
            assertNotNull(tx.get("r", bytes(0x81)), "the exclusive end stays");
            assertNotNull(tx.get("r", bytes(0xff)), "key below the open range stays");
        }
    }

    @Test
    public void writeTransactionReadsItsOwnWrites() {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("w");
            tx.put("w", bytes(1), bytes(1));
            tx.put("w", bytes(3), bytes(3));
        });
        try (WriteTx tx = b.beginWrite()) {
            tx.put("w", bytes(2), bytes(2));
            tx.put("w", bytes(3), bytes(33));
            assertTrue(tx.delete("w", bytes(1)));
            assertFalse(tx.delete("w", bytes(1)), "deleting a deleted key");
            tx.createBucket("new");
            tx.put("new", bytes(5), bytes(5));
            assertNull(tx.get("w", bytes(1)));
            assertArrayEquals(bytes(33), tx.get("w", bytes(3)));
            assertEquals(List.of("new", "w"), tx.buckets());
            try (Cursor c = tx.cursor("w")) {
                assertTrue(c.first());
                assertArrayEquals(bytes(2), c.key(), "cursor sees the put and not the delete");
                assertTrue(c.next());
                assertArrayEquals(bytes(33), c.value(), "cursor sees the overwrite");
                assertFalse(c.next());
            }
            try (ReadTx other = b.beginRead()) {
                assertArrayEquals(bytes(1), other.get("w", bytes(1)), "a reader does not see uncommitted writes");
                assertFalse(other.hasBucket("new"));
            }
            // not committed: closing aborts
        }
        try (ReadTx tx = b.beginRead()) {
            assertArrayEquals(bytes(1), tx.get("w", bytes(1)), "abort discards the delete");
            assertArrayEquals(bytes(3), tx.get("w", bytes(3)), "abort discards the overwrite");
            assertNull(tx.get("w", bytes(2)), "abort discards the put");
            assertEquals(List.of("w"), tx.buckets(), "abort discards the bucket");
        }
    }

    @Test
    public void arraysAreCopiedInAndOut() {
        Backend b = open("s");
        byte[] key = bytes(1, 2);
        byte[] value = bytes(3, 4);
        write(b, tx -> {
            tx.createBucket("a");
            tx.put("a", key, value);
            key[0] = 9;
            value[0] = 9;
        });
        try (ReadTx tx = b.beginRead()) {
            byte[] got = tx.get("a", bytes(1, 2));
            assertArrayEquals(bytes(3, 4), got, "the engine copied the arrays handed in");
            got[0] = 7;
            assertArrayEquals(bytes(3, 4), tx.get("a", bytes(1, 2)), "arrays handed out belong to the caller");
            assertNull(tx.get("a", key));
        }
    }

    @Test
    public void scanHonoursBoundsAndEarlyStop() {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("s");
            for (int i = 1; i <= 9; i++) {
                tx.put("s", bytes(i * 16), bytes(i));
            }
        });
        try (ReadTx tx = b.beginRead()) {
            List<Integer> seen = new ArrayList<>();
            tx.scan("s", bytes(0x20), bytes(0x50), (k, v) -> seen.add(v[0] & 0xff));
            assertEquals(List.of(2, 3, 4), seen, "scan [0x20, 0x50)");
            seen.clear();
            tx.scan("s", bytes(0x85), null, (k, v) -> seen.add(v[0] & 0xff) && seen.size() < 2);
            assertEquals(List.of(9), seen);
            seen.clear();
            tx.scan("s", null, null, (k, v) -> seen.add(v[0] & 0xff) && seen.size() < 3);
            assertEquals(List.of(1, 2, 3), seen, "early stop");
        }
    }

    @Test
    public void committedWritesSurviveReopenAndAbortsDoNot() {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("p");
            tx.put("p", utf8("kept"), utf8("1"));
        });
        try (WriteTx tx = b.beginWrite()) {
            tx.put("p", utf8("aborted"), utf8("2"));
        }
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            assertArrayEquals(utf8("1"), tx.get("p", utf8("kept")));
            assertNull(tx.get("p", utf8("aborted")));
        }
    }
}
