package example.kv.backend.memlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendException;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memlog's own files: torn tails are cut, damage is refused, an interrupted defragment is undone or finished. */
class MemlogRecoveryTest {
    private static final String LOG0 = "log-0000000000000000";

    @TempDir
    Path dir;

    private Backend open() throws IOException {
        return new MemlogProvider().open(BackendConfig.of(dir));
    }

    /** Three SYNC commits, each putting key i = i in bucket "b". */
    private void threeCommits() throws IOException {
        try (Backend b = open()) {
            for (int i = 1; i <= 3; i++) {
                try (WriteTx tx = b.beginWrite()) {
                    tx.createBucket("b");
                    tx.put("b", new byte[] {(byte) i}, new byte[] {(byte) i});
                    tx.commit();
                }
            }
        }
    }

    private void assertKeys(Backend b, int upTo) {
        try (ReadTx tx = b.beginRead()) {
            for (int i = 1; i <= 3; i++) {
                byte[] v = tx.get("b", new byte[] {(byte) i});
                if (i <= upTo) {
                    assertArrayEquals(new byte[] {(byte) i}, v, "key " + i);
                } else {
                    assertNull(v, "key " + i);
                }
            }
        }
    }

    private void append(String file, byte[] bytes) throws IOException {
        Files.write(dir.resolve(file), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aPartialLastFrameIsCutAndTheLogGoesOn() throws IOException {
        threeCommits();
        long intact = Files.size(dir.resolve(LOG0));
        append(LOG0, ByteBuffer.allocate(20).putInt(1000).putInt(12345).put(new byte[12]).array()); // an append cut short
        try (Backend b = open()) {
            assertKeys(b, 3);
            assertEquals(intact, Files.size(dir.resolve(LOG0)), "the torn tail is cut off");
            try (WriteTx tx = b.beginWrite()) {
                tx.put("b", new byte[] {9}, new byte[] {9});
                tx.commit();
            }
        }
        try (Backend b = open(); ReadTx tx = b.beginRead()) {
            assertArrayEquals(new byte[] {9}, tx.get("b", new byte[] {9}), "a commit after the cut survives reopen");
        }
    }

    @Test
    void aLastFrameFailingItsChecksumIsCut() throws IOException {
        threeCommits();
        flipLastByte(LOG0);
        try (Backend b = open()) {
            assertKeys(b, 2);
        }
    }

    @Test
    void zerosAfterTheLastFrameAreCut() throws IOException {
        threeCommits();
        append(LOG0, new byte[4096]);
        try (Backend b = open()) {
            assertKeys(b, 3);
        }
    }

    @Test
    void damageBeforeTheLastFrameIsRefusedAndChangesNothing() throws IOException {
        threeCommits();
        Path log = dir.resolve(LOG0);
        byte[] bytes = Files.readAllBytes(log);
        bytes[16 + 8 + 2] ^= 1; // inside the first frame's payload
        Files.write(log, bytes);
        BackendCorruptedException e = assertThrows(BackendCorruptedException.class, this::open);
        assertTrue(e.getMessage().contains("damaged, not torn"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(log), "nothing was cut");
    }

    @Test
    void defragmentStartsANewGenerationAndReopensFromItsCheckpoint() throws IOException {
        threeCommits();
        try (Backend b = open()) {
            b.defragment();
            assertEquals(List.of("LOCK", "checkpoint-0000000000000001", "log-0000000000000001"), files());
            try (WriteTx tx = b.beginWrite()) {
                tx.delete("b", new byte[] {3});
                tx.commit();
            }
        }
        try (Backend b = open()) {
            assertKeys(b, 2);
        }
        flipLastByte("checkpoint-0000000000000001");
        assertThrows(BackendCorruptedException.class, this::open, "a checkpoint is complete when named: damage in it is refused");
    }

    @Test
    void aDefragmentKilledBeforeItsSwitchIsUndone() throws IOException {
        threeCommits();
        append("checkpoint-0000000000000001.tmp", new byte[] {1, 2, 3});
        append("log-0000000000000001", new byte[] {4, 5, 6});
        try (Backend b = open()) {
            assertKeys(b, 3);
        }
        assertEquals(List.of("LOCK", LOG0), files(), "the next generation's leftovers are deleted");
    }

    @Test
    void aDefragmentKilledAfterItsSwitchIsFinished() throws IOException {
        threeCommits();
        try (Backend b = open()) {
            b.defragment();
        }
        append(LOG0, new byte[] {7}); // the old generation's files, not yet deleted when killed
        append("checkpoint-0000000000000000", new byte[] {7});
        try (Backend b = open()) {
            assertKeys(b, 3);
        }
        assertEquals(List.of("LOCK", "checkpoint-0000000000000001", "log-0000000000000001"), files());
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
        try (Backend b = open()) {
            BackendException e = assertThrows(BackendException.class, this::open);
            assertTrue(e.getMessage().contains("LOCK is held"), e.getMessage());
        }
        open().close();
    }

    @Test
    void unknownMemlogOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MemlogProvider().open(BackendConfig.of(dir).withOption("memlog.cache", "1")));
    }

    private void flipLastByte(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(file));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve(file), bytes);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
