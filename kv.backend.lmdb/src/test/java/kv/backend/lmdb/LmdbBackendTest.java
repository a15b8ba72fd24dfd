package kv.backend.lmdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendLocator;
import kv.backend.BucketNotFoundException;
import kv.backend.Bytes;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lmdb engine's own behaviour: map growth, long keys, generations, merged cursors, options. */
class LmdbBackendTest {
    @TempDir
    Path tmp;

    private final List<Backend> opened = new ArrayList<>();

    private Backend open(BackendConfig config) throws IOException {
        Backend b = new LmdbProvider().open(config);
        opened.add(b);
        return b;
    }

    private Backend open() throws IOException {
        return open(BackendConfig.of(tmp.resolve("db")));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Backend::close);
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static byte[] key(int i) {
        return String.format("k%08d", i).getBytes();
    }

    @Test
    void locatorFindsTheProviderByName() {
        assertEquals(LmdbProvider.class, BackendLocator.builtIn().find("lmdb").getClass());
        assertEquals("lmdbjava 0.9.3", new LmdbProvider().version());
    }

    @Test
    void aFullMapGrowsAndTheTransactionIsReplayedWhileReadersGoOn() throws IOException {
        Backend db = open(BackendConfig.of(tmp.resolve("tiny")).withOption("lmdb.map-size", "65536"));
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("t");
            tx.put("t", key(0), b(0));
            tx.put("t", key(1), b(1));
            tx.commit();
        }
        ReadTx reader = db.beginRead();
        Cursor cursor = reader.cursor("t");
        assertTrue(cursor.first());
        byte[] value = new byte[300];
        new Random(1).nextBytes(value);
        for (int round = 0; round < 4; round++) {
            try (WriteTx tx = db.beginWrite()) {
                for (int i = 2; i < 2000; i++) {
                    tx.put("t", key(round * 2000 + i), value);
                }
                tx.commit(); // needs several MiB in a 64 KiB map: grows on MDB_MAP_FULL, replays
            }
        }
        LmdbStore store = ((LmdbBackend) db).currentForTest();
        assertTrue(store.mapSize() >= 4L << 20, "map grew to " + store.mapSize());
        assertTrue(cursor.next(), "a cursor opened before the map moved goes on");
        assertArrayEquals(key(1), cursor.key());
        assertFalse(cursor.next(), "and still sees its snapshot only");
        assertNull(reader.get("t", key(2)));
        cursor.close();
        reader.close();
        try (ReadTx tx = db.beginRead()) {
            assertArrayEquals(value, tx.get("t", key(7999)));
        }
        Backend again = reopen(db, BackendConfig.of(tmp.resolve("tiny")).withOption("lmdb.map-size", "65536"));
        try (ReadTx tx = again.beginRead()) {
            assertArrayEquals(value, tx.get("t", key(3999)), "the grown map is kept by the file");
        }
    }

    private Backend reopen(Backend db, BackendConfig config) throws IOException {
        db.close();
        return open(config);
    }

    @Test
    void keysLongerThanLmdbsLimitKeepTheirOrder() throws IOException {
        Backend db = open();
        int limit = ((LmdbBackend) db).currentForTest().keyLimit;
        Random r = new Random(5);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Bytes.ORDER);
        byte[] shared = new byte[limit];
        Arrays.fill(shared, (byte) 0x61);
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("long");
            for (int i = 0; i < 300; i++) {
                int len = switch (i % 5) {
                    case 0 -> 1 + r.nextInt(limit - 1);
                    case 1 -> limit;
                    case 2 -> limit + 1 + r.nextInt(40);
                    default -> limit + r.nextInt(Backend.MAX_KEY_SIZE - limit + 1);
                };
                byte[] k = new byte[len];
                System.arraycopy(shared, 0, k, 0, Math.min(len, limit));
                for (int j = Math.max(0, len - 3); j < len; j++) {
                    k[j] = (byte) r.nextInt(256); // differ near the end: many keys share one group
                }
                byte[] v = b(i & 0xff, i >> 8);
                tx.put("long", k, v);
                model.put(k, v);
            }
            tx.commit();
        }
        try (WriteTx tx = db.beginWrite()) {
            List<byte[]> keys = new ArrayList<>(model.keySet());
            for (int i = 0; i < keys.size(); i += 7) {
                assertTrue(tx.delete("long", keys.get(i)));
                model.remove(keys.get(i));
            }
            assertWalks(tx, model, "inside the write transaction");
            tx.commit();
        }
        try (ReadTx tx = db.beginRead()) {
            assertWalks(tx, model, "committed");
            for (var e : model.entrySet()) {
                assertArrayEquals(e.getValue(), tx.get("long", e.getKey()));
            }
            byte[] probe = Arrays.copyOf(shared, limit + 2);
            try (Cursor c = tx.cursor("long")) {
                boolean ok = c.seek(probe);
                byte[] expected = model.ceilingKey(probe);
                assertEquals(expected != null, ok);
                if (ok) {
                    assertArrayEquals(expected, c.key(), "seek into a group");
                }
            }
        }
    }

    private static void assertWalks(ReadTx tx, TreeMap<byte[], byte[]> model, String context) {
        try (Cursor c = tx.cursor("long")) {
            List<byte[]> fwd = new ArrayList<>();
            for (boolean ok = c.first(); ok; ok = c.next()) {
                fwd.add(c.key());
            }
            List<byte[]> back = new ArrayList<>();
            for (boolean ok = c.last(); ok; ok = c.prev()) {
                back.add(0, c.key());
            }
            List<byte[]> expected = new ArrayList<>(model.keySet());
            assertEquals(expected.size(), fwd.size(), context);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), fwd.get(i), context + " forward " + i);
                assertArrayEquals(expected.get(i), back.get(i), context + " backward " + i);
            }
        }
    }

    @Test
    void writeCursorMergesPendingWritesBothWays() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("m");
            for (int i = 0; i < 10; i += 2) {
                tx.put("m", b(i), b(i));
            }
            tx.commit();
        }
        try (WriteTx tx = db.beginWrite()) {
            tx.put("m", b(3), b(3));
            tx.delete("m", b(4));
            tx.put("m", b(8), b(88));
            List<Integer> fwd = new ArrayList<>();
            List<Integer> back = new ArrayList<>();
            try (Cursor c = tx.cursor("m")) {
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    fwd.add(c.key()[0] & 0xff);
                }
                for (boolean ok = c.last(); ok; ok = c.prev()) {
                    back.add(c.value()[0] & 0xff);
                }
                assertTrue(c.seek(b(4)));
                assertArrayEquals(b(6), c.key(), "seek skips the deleted key");
                assertTrue(c.prev());
                assertArrayEquals(b(3), c.key(), "prev lands on the pending put");
            }
            assertEquals(List.of(0, 2, 3, 6, 8), fwd);
            assertEquals(List.of(88, 6, 3, 2, 0), back);
            assertEquals(3, tx.deleteRange("m", b(2), b(7)), "[2, 7) holds 2, 3 and 6");
            assertEquals(List.of("m"), tx.buckets());
        }
    }

    @Test
    void deletedAndRecreatedBucketIsEmptyAndOldReadersKeepTheirView() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("x");
            tx.put("x", b(1), b(1));
            tx.commit();
        }
        try (ReadTx before = db.beginRead()) {
            try (WriteTx tx = db.beginWrite()) {
                assertTrue(tx.deleteBucket("x"));
                assertThrows(BucketNotFoundException.class, () -> tx.put("x", b(1), b(1)));
                assertTrue(tx.createBucket("x"));
                tx.put("x", b(2), b(2));
                tx.commit();
            }
            assertArrayEquals(b(1), before.get("x", b(1)));
            assertNull(before.get("x", b(2)));
        }
        try (WriteTx tx = db.beginWrite()) {
            assertTrue(tx.deleteBucket("x"));
            tx.commit();
        }
        try (WriteTx tx = db.beginWrite()) {
            assertTrue(tx.createBucket("x"), "the database of a deleted bucket is reused");
            tx.commit();
        }
        try (ReadTx tx = db.beginRead(); Cursor c = tx.cursor("x")) {
            assertFalse(c.first());
            assertEquals(List.of("x"), tx.buckets());
        }
    }

    @Test
    void defragmentSwitchesGenerationsWhileAReaderFinishesOnTheOldOne() throws IOException {
        Backend db = open(BackendConfig.of(tmp.resolve("d")).withDurability(Durability.NO_SYNC));
        byte[] value = new byte[1000];
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("d");
            for (int i = 0; i < 4000; i++) {
                tx.put("d", key(i), value);
            }
            tx.commit();
        }
        try (WriteTx tx = db.beginWrite()) {
            assertEquals(3600, tx.deleteRange("d", key(400), null));
            tx.commit();
        }
        long before = db.sizeOnDisk();
        ReadTx old = db.beginRead();
        db.defragment();
        assertTrue(Files.exists(tmp.resolve("d/data-1/data.mdb")));
        assertTrue(Files.exists(tmp.resolve("d/data-0")), "the old generation stays while its reader is open");
        long after = db.sizeOnDisk();
        assertTrue(after < before / 3, "size on disk " + before + " -> " + after + " (the live generation)");
        assertArrayEquals(value, old.get("d", key(399)));
        old.close();
        assertFalse(Files.exists(tmp.resolve("d/data-0")), "and goes with its last reader");
        assertTrue(db.sizeInUse() <= after);
        try (WriteTx tx = db.beginWrite()) {
            tx.put("d", key(5000), b(5));
            tx.commit();
        }
        Backend again = reopen(db, BackendConfig.of(tmp.resolve("d")));
        try (ReadTx tx = again.beginRead()) {
            assertArrayEquals(value, tx.get("d", key(0)));
            assertArrayEquals(b(5), tx.get("d", key(5000)));
            assertNull(tx.get("d", key(400)));
        }
    }

    @Test
    void aLeftoverGenerationFromAnInterruptedDefragmentIsRemovedOnOpen() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("a");
            tx.commit();
        }
        db.close();
        Files.createDirectories(tmp.resolve("db/data-1"));
        Files.writeString(tmp.resolve("db/data-1/data.mdb"), "half a copy");
        Backend again = open();
        assertFalse(Files.exists(tmp.resolve("db/data-1")));
        try (ReadTx tx = again.beginRead()) {
            assertTrue(tx.hasBucket("a"));
        }
    }

    @Test
    void closeFailsOpenTransactionsAndCursors() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("a");
            tx.put("a", b(1), b(1));
            tx.commit();
        }
        ReadTx r = db.beginRead();
        Cursor c = r.cursor("a");
        assertTrue(c.first());
        db.close();
        assertThrows(BackendClosedException.class, c::next);
        assertThrows(BackendClosedException.class, () -> r.get("a", b(1)));
        c.close();
        r.close();
        db.close();
    }

    @Test
    void commitFromAVirtualThreadRunsOnAPlatformThread() throws Exception {
        Backend db = open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try (WriteTx tx = db.beginWrite()) {
                tx.createBucket("v");
                tx.put("v", b(1), b(2));
                tx.commit();
                db.sync();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        assertNull(failure.get());
        try (ReadTx r = db.beginRead()) {
            assertArrayEquals(b(2), r.get("v", b(1)));
        }
    }

    @Test
    void aReadTransactionMovesBetweenThreads() throws Exception {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("a");
            tx.put("a", b(1), b(1));
            tx.commit();
        }
        AtomicReference<ReadTx> begun = new AtomicReference<>();
        Thread starter = Thread.ofPlatform().start(() -> begun.set(db.beginRead()));
        starter.join();
        try (WriteTx tx = db.beginWrite()) {
            tx.put("a", b(1), b(2));
            tx.commit();
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread user = Thread.ofVirtual().start(() -> {
            try (ReadTx r = begun.get(); Cursor c = r.cursor("a")) {
                assertArrayEquals(b(1), r.get("a", b(1)), "MDB_NOTLS: the snapshot travels with the transaction");
                assertTrue(c.first());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        user.join();
        assertNull(failure.get());
    }

    @Test
    void filesThatAreNotAStoreAreReportedAsCorrupt() throws IOException {
        Path garbage = tmp.resolve("g");
        Files.createDirectories(garbage.resolve("data-0"));
        Files.write(garbage.resolve("data-0/data.mdb"), new byte[64 * 1024]);
        assertThrows(BackendCorruptedException.class, () -> open(BackendConfig.of(garbage)));
        Path badCurrent = tmp.resolve("c");
        Files.createDirectories(badCurrent);
        Files.writeString(badCurrent.resolve("CURRENT"), "nonsense\n");
        assertThrows(BackendCorruptedException.class, () -> open(BackendConfig.of(badCurrent)));
    }

    @Test
    void engineOptionsAreValidated() {
        BackendConfig base = BackendConfig.of(tmp.resolve("o"));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("lmdb.nonsense", "1")));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("lmdb.no-sync", "sometimes")));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("lmdb.map-size", "12")));
        LmdbTuning t = LmdbTuning.from(base.withOption("lmdb.map-size", "1048576").withOption("rocksdb.x", "y"));
        assertEquals(1L << 20, t.mapSize(), "other engines' options are ignored");
    }
}
