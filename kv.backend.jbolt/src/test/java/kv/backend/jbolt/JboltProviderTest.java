package kv.backend.jbolt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.BucketNotFoundException;
import kv.backend.KeyTooLargeException;
import kv.backend.ReadTx;
import kv.backend.TransactionClosedException;
import kv.backend.WriteTx;
import kv.backend.jbolt.internal.JboltBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPI face: found by the locator, options, one file, misuse, defragment. */
class JboltProviderTest {
    @TempDir
    Path dir;

    private static byte[] k(int i) {
        return String.format("key-%06d", i).getBytes();
    }

    @Test
    void locatorFindsJboltAsTheDefault() {
        var p = BackendLocator.builtIn().find(BackendLocator.DEFAULT_ENGINE);
        assertInstanceOf(JboltProvider.class, p);
        assertEquals("jbolt", p.name());
    }

    @Test
    void pageSizeOptionAndUnknownOptions() throws Exception {
        var p = new JboltProvider();
        try (Backend b = p.open(BackendConfig.of(dir.resolve("a")).withOption("jbolt.page-size", "8192")
                .withOption("rocksdb.foo", "ignored"))) {
            assertEquals(8192, ((JboltBackend) b).db().pageSize());
            assertTrue(Files.isRegularFile(dir.resolve("a").resolve(JboltProvider.FILE_NAME)));
        }
        assertThrows(IllegalArgumentException.class,
                () -> p.open(BackendConfig.of(dir.resolve("b")).withOption("jbolt.pagesize", "4096")));
        assertThrows(IllegalArgumentException.class,
                () -> p.open(BackendConfig.of(dir.resolve("c")).withOption("jbolt.page-size", "3000")));
        assertThrows(IllegalArgumentException.class,
                () -> p.open(BackendConfig.of(dir.resolve("d")).withOption("jbolt.page-size", "big")));
    }

    @Test
    void aSecondOpenOfTheSameStoreIsRefused() throws Exception {
        try (Backend b = new JboltProvider().open(BackendConfig.of(dir))) {
            var e = assertThrows(kv.backend.BackendException.class, () -> new JboltProvider().open(BackendConfig.of(dir)));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        new JboltProvider().open(BackendConfig.of(dir)).close();
    }

    @Test
    void crudThroughTheSpi() throws Exception {
        try (Backend b = new JboltProvider().open(BackendConfig.of(dir))) {
            try (WriteTx tx = b.beginWrite()) {
                assertTrue(tx.createBucket("kv"));
                assertFalse(tx.createBucket("kv"));
                for (int i = 0; i < 1000; i++) {
                    tx.put("kv", k(i), k(i * 2));
                }
                assertEquals(100, tx.deleteRange("kv", k(100), k(200)));
                assertThrows(BucketNotFoundException.class, () -> tx.put("nope", k(1), k(1)));
                assertThrows(KeyTooLargeException.class, () -> tx.put("kv", new byte[Backend.MAX_KEY_SIZE + 1], k(1)));
                assertThrows(IllegalArgumentException.class, () -> tx.put("kv", new byte[0], k(1)));
                tx.commit();
                assertThrows(TransactionClosedException.class, () -> tx.put("kv", k(1), k(1)));
            }
            try (ReadTx tx = b.beginRead()) {
                assertEquals(List.of("kv"), tx.buckets());
                assertArrayEquals(k(8), tx.get("kv", k(4)));
                assertNull(tx.get("kv", k(150)));
                int[] n = {0};
                tx.scan("kv", k(190), k(210), (key, v) -> ++n[0] > 0);
                assertEquals(10, n[0]);
                assertThrows(BucketNotFoundException.class, () -> tx.get("nope", k(1)));
            }
            assertEquals(List.of(), ((JboltBackend) b).check());
        }
    }

    @Test
    void closeFailsOpenTransactions() throws Exception {
        Backend b = new JboltProvider().open(BackendConfig.of(dir));
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("kv");
            tx.put("kv", k(1), k(1));
            tx.commit();
        }
        ReadTx r = b.beginRead();
        WriteTx w = b.beginWrite();
        b.close();
        assertThrows(BackendClosedException.class, () -> r.get("kv", k(1)));
        assertThrows(BackendClosedException.class, () -> w.put("kv", k(2), k(2)));
        assertThrows(BackendClosedException.class, w::commit);
        assertThrows(BackendClosedException.class, b::beginRead);
        assertThrows(BackendClosedException.class, b::sizeInUse);
        r.close();
        w.close();
        try (Backend again = new JboltProvider().open(BackendConfig.of(dir)); ReadTx tx = again.beginRead()) {
            assertArrayEquals(k(1), tx.get("kv", k(1)));
            assertNull(tx.get("kv", k(2)));
        }
    }

    @Test
    void defragmentShrinksTheFileWhileAReaderGoesOn() throws Exception {
        try (Backend b = new JboltProvider().open(BackendConfig.of(dir))) {
            try (WriteTx tx = b.beginWrite()) {
                tx.createBucket("kv");
                for (int i = 0; i < 20000; i++) {
                    tx.put("kv", k(i), new byte[200]);
                }
                tx.commit();
            }
            try (WriteTx tx = b.beginWrite()) {
                tx.deleteRange("kv", k(100), null);
                tx.commit();
            }
            try (ReadTx reader = b.beginRead()) {
                long before = b.sizeOnDisk();
                long txid = ((JboltBackend) b).db().stats().txid();
                b.defragment();
                assertTrue(((JboltBackend) b).db().stats().txid() > txid, "transaction ids keep growing");
                long after = b.sizeOnDisk();
                assertTrue(after < before / 10, before + " -> " + after);
                assertTrue(b.sizeInUse() <= after);
                assertTrue(after - b.sizeInUse() <= 4 * 4096, "in use " + b.sizeInUse() + " of " + after);
                assertArrayEquals(new byte[200], reader.get("kv", k(50)));
                try (WriteTx tx = b.beginWrite()) {
                    tx.put("kv", k(7), k(7));
                    tx.commit();
                }
                assertArrayEquals(new byte[200], reader.get("kv", k(7)), "the reader keeps its snapshot");
            }
            try (ReadTx tx = b.beginRead()) {
                assertArrayEquals(k(7), tx.get("kv", k(7)));
                int[] n = {0};
                tx.scan("kv", null, null, (key, v) -> ++n[0] > 0);
                assertEquals(100, n[0]);
            }
            assertEquals(List.of(), ((JboltBackend) b).check());
        }
    }
}
