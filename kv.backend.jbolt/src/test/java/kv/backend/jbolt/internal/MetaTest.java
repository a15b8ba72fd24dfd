package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import kv.backend.BackendCorruptedException;
import kv.backend.Durability;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meta page selection at open: the newer valid meta wins; a damaged one yields to the other. */
class MetaTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("meta.db");
    }

    /** Commits key 1 (txid 2), then key 2 (txid 3): slot 0 holds txid 2, slot 1 txid 3. */
    private void twoCommits(int pageSize) throws Exception {
        try (JboltDb db = JboltDb.open(file(), new JboltOptions(pageSize, Durability.SYNC))) {
            for (int i = 1; i <= 2; i++) {
                try (JboltTx tx = db.begin(true)) {
                    tx.createBucket("b").put(key(i), key(i));
                    tx.commit();
                }
            }
        }
    }

    private void corrupt(long offset) throws Exception {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x5a, 0x5a}), offset);
        }
    }

    private byte[] read(JboltDb db, int i) {
        try (JboltTx tx = db.begin(false)) {
            return tx.bucket("b").get(key(i));
        }
    }

    @Test
    void newerMetaWins() throws Exception {
        twoCommits(4096);
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            assertArrayEquals(key(2), read(db, 2));
        }
    }

    @Test
    void corruptNewerMetaFallsBackToTheOlderState() throws Exception {
        twoCommits(4096);
        corrupt(4096 + Page.HEADER + 20);
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            assertArrayEquals(key(1), read(db, 1));
            assertNull(read(db, 2), "the commit whose meta is torn is not there");
            assertEquals(List.of(), db.check());
            try (JboltTx tx = db.begin(true)) {
                tx.bucket("b").put(key(3), key(3));
                tx.commit();
            }
            assertEquals(List.of(), db.check());
        }
    }

    @Test
    void corruptOlderMetaLeavesTheNewerInCharge() throws Exception {
        twoCommits(2048);
        corrupt(Page.HEADER + 20);
        try (JboltDb db = JboltDb.open(file(), new JboltOptions(8192, Durability.SYNC))) {
            assertEquals(2048, db.pageSize(), "the file's page size wins over the option");
            assertArrayEquals(key(2), read(db, 2));
            assertEquals(List.of(), db.check());
        }
    }

    @Test
    void bothMetasCorruptIsRefused() throws Exception {
        twoCommits(4096);
        corrupt(Page.HEADER + 20);
        corrupt(4096 + Page.HEADER + 20);
        assertThrows(BackendCorruptedException.class, () -> JboltDb.open(file(), JboltOptions.defaults()));
    }

    @Test
    void foreignFileIsRefused() throws Exception {
        Files.write(file(), new byte[20000]);
        assertThrows(BackendCorruptedException.class, () -> JboltDb.open(file(), JboltOptions.defaults()));
    }

    @Test
    void metaClaimingPagesBeyondTheFileIsIgnored() throws Exception {
        twoCommits(4096);
        long size = Files.size(file());
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            // a newer meta for a state whose pages never reached the disk
            Meta ghost = new Meta(4096, 3, 2, size / 4096 + 100, 4);
            ch.write(ByteBuffer.wrap(ghost.encode()), 0);
        }
        try (JboltDb db = JboltDb.open(file(), JboltOptions.defaults())) {
            assertArrayEquals(key(2), read(db, 2));
        }
    }
}
