package kv.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The content hash: pinned to its documented encoding, and blind to history. */
class BackendHashTest {
    private static Backend with(Consumer<WriteTx> body) {
        MemoryBackend b = new MemoryBackend("test-mem", Path.of("mem"));
        try (WriteTx tx = b.beginWrite()) {
            body.accept(tx);
            tx.commit();
        }
        return b;
    }

    @Test
    void hashIsSha256OfTheDocumentedEncoding() throws Exception {
        Backend b = with(tx -> {
            tx.createBucket("b2");
            tx.createBucket("b1");
            tx.put("b1", new byte[] {(byte) 0x80}, new byte[] {1});
            tx.put("b1", new byte[] {0x01}, new byte[0]);
        });
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(ByteBuffer.allocate(7).put((byte) 'B').putInt(2).put("b1".getBytes(StandardCharsets.UTF_8)).array());
        md.update(ByteBuffer.allocate(10).put((byte) 'E').putInt(1).put((byte) 0x01).putInt(0).array());
        md.update(ByteBuffer.allocate(11).put((byte) 'E').putInt(1).put((byte) 0x80).putInt(1).put((byte) 1).array());
        md.update(ByteBuffer.allocate(7).put((byte) 'B').putInt(2).put("b2".getBytes(StandardCharsets.UTF_8)).array());
        assertEquals(new BackendHash(HexFormat.of().formatHex(md.digest()), 2, 2), BackendHash.of(b));
    }

    @Test
    void emptyStoreHashesTheEmptyInput() {
        assertEquals(new BackendHash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0, 0),
                BackendHash.of(with(tx -> {})));
    }

    @Test
    void lengthsKeepBoundariesApart() {
        Backend ab = with(tx -> {
            tx.createBucket("x");
            tx.put("x", new byte[] {1, 2}, new byte[] {3});
        });
        Backend a = with(tx -> {
            tx.createBucket("x");
            tx.put("x", new byte[] {1}, new byte[] {2, 3});
        });
        Backend moved = with(tx -> {
            tx.createBucket("y");
            tx.put("y", new byte[] {1, 2}, new byte[] {3});
        });
        assertNotEquals(BackendHash.of(ab), BackendHash.of(a), "key/value boundary");
        assertNotEquals(BackendHash.of(ab), BackendHash.of(moved), "same entry in another bucket");
    }

    @Test
    void historyDoesNotMatterOnlyContent() {
        Backend direct = with(tx -> {
            tx.createBucket("x");
            tx.put("x", new byte[] {1}, new byte[] {1});
        });
        Backend winding = with(tx -> {
            tx.createBucket("gone");
            tx.createBucket("x");
            tx.put("x", new byte[] {2}, new byte[] {2});
            tx.put("x", new byte[] {1}, new byte[] {9});
            tx.put("x", new byte[] {1}, new byte[] {1});
            tx.delete("x", new byte[] {2});
            tx.deleteBucket("gone");
        });
        assertEquals(BackendHash.of(direct), BackendHash.of(winding));
    }
}
