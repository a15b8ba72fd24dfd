package kv.backend.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendLocator;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import kv.backend.WriteTx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rocksdb engine's own behaviour: bucket layout, cursor bounds, transactions, sizes, options. */
class RocksBackendTest {
    @TempDir
    Path tmp;

    private final List<Backend> opened = new ArrayList<>();

    private Backend open(BackendConfig config) throws IOException {
        Backend b = new RocksProvider().open(config);
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

    @Test
    void locatorFindsTheProviderByName() {
        assertEquals(RocksProvider.class, BackendLocator.builtIn().find("rocksdb").getClass());
        assertTrue(new RocksProvider().version().startsWith("rocksdbjni "));
    }

    @Test
    void cursorsStayInsideTheirBucketInBothDirections() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("a");
            tx.createBucket("b");
            tx.createBucket("c");
            tx.put("a", b(0xff, 0xff), b(1));
            tx.put("c", b(0x00), b(3));
            tx.put("b", b(0x10), b(2));
            tx.put("b", b(0x80), b(2));
            tx.commit();
        }
        for (boolean inWrite : new boolean[] {false, true}) {
            try (ReadTx tx = inWrite ? db.beginWrite() : db.beginRead(); Cursor c = tx.cursor("b")) {
                assertTrue(c.last());
                assertArrayEquals(b(0x80), c.key());
                assertFalse(c.next(), "next from the last key leaves the bucket, not into c");
                assertTrue(c.first());
                assertArrayEquals(b(0x10), c.key());
                assertFalse(c.prev(), "prev from the first key leaves the bucket, not into a");
                assertTrue(c.seek(b(0x11)));
                assertArrayEquals(b(0x80), c.key());
                assertFalse(c.seek(b(0x81)));
                assertThrows(IllegalStateException.class, c::key);
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
            }
            assertEquals(List.of(0, 2, 3, 6, 8), fwd);
            assertEquals(List.of(88, 6, 3, 2, 0), back);
            assertEquals(3, tx.deleteRange("m", b(2), b(7)), "[2, 7) holds 2, 3 and 6 (4 is deleted already)");
        }
    }

    @Test
    void deleteRangeCountsOnlyVisibleKeys() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("m");
            for (int i = 0; i < 10; i++) {
                tx.put("m", b(i), b(i));
            }
            tx.commit();
        }
        try (WriteTx tx = db.beginWrite()) {
            assertTrue(tx.delete("m", b(4)));
            tx.put("m", b(20), b(20));
            assertEquals(4, tx.deleteRange("m", b(2), b(7)), "2, 3, 5, 6");
            assertEquals(4, tx.deleteRange("m", b(7), null), "7, 8, 9, 20");
            assertEquals(2, tx.deleteRange("m", null, null));
            tx.commit();
        }
        try (ReadTx tx = db.beginRead(); Cursor c = tx.cursor("m")) {
            assertFalse(c.first());
        }
    }

    @Test
    void bucketIdsAreNotReusedSoARecreatedBucketIsEmpty() throws IOException {
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
            assertArrayEquals(b(1), before.get("x", b(1)), "a snapshot keeps the old bucket");
            assertNull(before.get("x", b(2)));
        }
        try (ReadTx tx = db.beginRead()) {
            assertNull(tx.get("x", b(1)));
            assertArrayEquals(b(2), tx.get("x", b(2)));
        }
    }

    @Test
    void abortedBucketCreationLeavesNoTrace() throws IOException {
        Backend db = open();
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("gone");
            tx.put("gone", b(1), b(1));
        }
        Backend again = reopen(db);
        try (ReadTx tx = again.beginRead()) {
            assertEquals(List.of(), tx.buckets());
            assertThrows(BucketNotFoundException.class, () -> tx.get("gone", b(1)));
        }
    }

    private Backend reopen(Backend db) throws IOException {
        db.close();
        return open(BackendConfig.of(db.directory()));
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
    void commitIsAtomicAndOnlyOnce() throws IOException {
        Backend db = open();
        WriteTx tx = db.beginWrite();
        tx.createBucket("a");
        tx.commit(Durability.NO_SYNC);
        assertThrows(TransactionClosedException.class, () -> tx.put("a", b(1), b(1)));
        db.sync();
        try (ReadTx r = db.beginRead()) {
            assertTrue(r.hasBucket("a"));
        }
    }

    @Test
    void commitFromAVirtualThreadRunsTheNativeWriteOnAPlatformThread() throws Exception {
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
    void defragmentShrinksTheStoreAfterDeletes() throws IOException {
        Backend db = open(BackendConfig.of(tmp.resolve("d")).withOption("rocksdb.compression", "none"));
        byte[] value = new byte[1024];
        try (WriteTx tx = db.beginWrite()) {
            tx.createBucket("d");
            for (int i = 0; i < 8000; i++) {
                tx.put("d", String.format("%08d", i).getBytes(), value);
            }
            tx.commit();
        }
        db.defragment();
        long full = db.sizeOnDisk();
        try (WriteTx tx = db.beginWrite()) {
            assertEquals(7000, tx.deleteRange("d", "00001000".getBytes(), null));
            tx.commit();
        }
        db.defragment();
        long after = db.sizeOnDisk();
        assertTrue(after < full / 2, "size on disk " + full + " -> " + after);
        assertTrue(db.sizeInUse() <= after);
        try (ReadTx r = db.beginRead()) {
            assertArrayEquals(value, r.get("d", "00000999".getBytes()));
            assertNull(r.get("d", "00001000".getBytes()));
        }
    }

    @Test
    void filesThatAreNotAStoreAreReportedAsCorrupt() throws IOException {
        Path dir = tmp.resolve("g");
        open(BackendConfig.of(dir)).close();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("MANIFEST")).toList()) {
                java.nio.file.Files.write(p, new byte[4096]);
            }
        }
        assertThrows(BackendCorruptedException.class, () -> open(BackendConfig.of(dir)));
    }

    @Test
    void engineOptionsAreValidated() {
        BackendConfig base = BackendConfig.of(tmp.resolve("o"));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("rocksdb.nonsense", "1")));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("rocksdb.compression", "zip")));
        assertThrows(IllegalArgumentException.class, () -> open(base.withOption("rocksdb.block-cache-size", "ten")));
        RocksTuning t = RocksTuning.from(base.withOption("rocksdb.block-cache-size", "134217728").withOption("lmdb.map-size", "x"));
        assertEquals(128L << 20, t.blockCacheSize(), "other engines' options are ignored");
    }
}
