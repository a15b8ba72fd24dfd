package kv.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot stream: round trips, and every kind of damage refused with BackendCorruptedException. */
class BackendSnapshotTest {
    private static MemoryBackend store() {
        return new MemoryBackend("test-mem", Path.of("mem"));
    }

    /** Three buckets (one empty), keys on both sides of 0x80, empty and 1 MiB values, ~200 KiB in all. */
    private static MemoryBackend filled() {
        MemoryBackend b = store();
        Random r = new Random(1);
        try (WriteTx tx = b.beginWrite()) {
            tx.createBucket("empty");
            tx.createBucket("keys");
            tx.createBucket("ünïcode");
            for (int i = 0; i < 2_000; i++) {
                byte[] v = new byte[r.nextInt(100)];
                r.nextBytes(v);
                tx.put("keys", ByteBuffer.allocate(4).putInt(r.nextInt()).array(), v);
            }
            byte[] big = new byte[1 << 20];
            r.nextBytes(big);
            tx.put("ünïcode", new byte[] {(byte) 0xff}, big);
            tx.put("ünïcode", new byte[] {0x00}, new byte[0]);
            tx.commit();
        }
        return b;
    }

    private static byte[] snapshot(Backend b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackendSnapshot.write(b, out);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsEveryBucketKeyAndValue() {
        MemoryBackend source = filled();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackendSnapshot.Summary written = BackendSnapshot.write(source, out);
        assertEquals(3, written.buckets());
        assertEquals(2_002, written.entries(), "2,000 keys (unless random ints collided) + 2");
        MemoryBackend target = store();
        BackendSnapshot.Summary read = BackendSnapshot.restore(new ByteArrayInputStream(out.toByteArray()), target);
        assertEquals(written, read);
        assertEquals(BackendHash.of(source), BackendHash.of(target));
        try (ReadTx tx = target.beginRead()) {
            assertEquals(List.of("empty", "keys", "ünïcode"), tx.buckets());
            assertArrayEquals(new byte[0], tx.get("ünïcode", new byte[] {0x00}));
        }
    }

    @Test
    void anEmptyStoreRoundTrips() {
        byte[] snap = snapshot(store());
        MemoryBackend target = store();
        BackendSnapshot.Summary s = BackendSnapshot.restore(new ByteArrayInputStream(snap), target);
        assertEquals(new BackendSnapshot.Summary("test-mem", 0, 0, 0), s);
        assertEquals(BackendHash.of(store()), BackendHash.of(target));
    }

    @Test
    void restoreReadsExactlyTheSnapshotAndLeavesWhatFollows() throws Exception {
        byte[] snap = snapshot(filled());
        byte[] withTail = Arrays.copyOf(snap, snap.length + 3);
        withTail[snap.length] = 42;
        InputStream in = new ByteArrayInputStream(withTail);
        BackendSnapshot.restore(in, store());
        assertEquals(42, in.read(), "the byte after the end chunk is left for the caller");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] snap = snapshot(filled());
        for (int cut : new int[] {0, 3, 8, 9, 20, 100, snap.length / 3, snap.length / 2, snap.length - 9, snap.length - 8, snap.length - 1}) {
            byte[] part = Arrays.copyOf(snap, cut);
            assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(part), store()),
                    "snapshot cut at " + cut + " of " + snap.length);
        }
    }

    @Test
    void aFlippedBitAnywhereIsRefused() {
        byte[] snap = snapshot(filled());
        Random r = new Random(2);
        for (int n = 0; n < 300; n++) {
            int at = n < 40 ? n : r.nextInt(snap.length); // the header and first chunk header, then anywhere
            byte[] bad = snap.clone();
            bad[at] ^= (byte) (1 << r.nextInt(8));
            assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(bad), store()),
                    "bit flipped at byte " + at + " of " + snap.length);
        }
        for (int at = snap.length - 30; at < snap.length; at++) { // the trailer and the end chunk
            byte[] bad = snap.clone();
            bad[at] ^= 1;
            int where = at;
            assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(bad), store()),
                    "bit flipped at byte " + where);
        }
    }

    @Test
    void swappedOrDroppedChunksAreRefused() {
        byte[] snap = snapshot(filled());
        List<int[]> chunks = chunkBounds(snap);
        assertTrue(chunks.size() > 4, "the test store spans several chunks");
        int[] a = chunks.get(1);
        int[] b = chunks.get(2);
        ByteArrayOutputStream swapped = new ByteArrayOutputStream();
        swapped.write(snap, 0, a[0]);
        swapped.write(snap, b[0], b[1] - b[0]);
        swapped.write(snap, a[0], a[1] - a[0]);
        swapped.write(snap, b[1], snap.length - b[1]);
        assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(swapped.toByteArray()), store()));
        ByteArrayOutputStream dropped = new ByteArrayOutputStream();
        dropped.write(snap, 0, a[0]);
        dropped.write(snap, a[1], snap.length - a[1]);
        assertThrows(BackendCorruptedException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(dropped.toByteArray()), store()));
    }

    /** [start, end) of each data chunk (header included). */
    private static List<int[]> chunkBounds(byte[] snap) {
        ByteBuffer buf = ByteBuffer.wrap(snap);
        buf.position(8);
        List<int[]> out = new java.util.ArrayList<>();
        while (true) {
            int start = buf.position();
            int len = buf.getInt();
            buf.getInt();
            if (len == 0) {
                return out;
            }
            buf.position(buf.position() + len);
            out.add(new int[] {start, buf.position()});
        }
    }

    @Test
    void notASnapshotIsRefusedByItsMagicAndVersion() {
        BackendCorruptedException magic = assertThrows(BackendCorruptedException.class,
                () -> BackendSnapshot.restore(new ByteArrayInputStream("PK\u0003\u0004 a zip".getBytes()), store()));
        assertEquals("backend snapshot: bad magic 0x504b0304 (not a kv backend snapshot)", magic.getMessage());
        byte[] snap = snapshot(store());
        snap[7] = 9;
        BackendCorruptedException version = assertThrows(BackendCorruptedException.class,
                () -> BackendSnapshot.restore(new ByteArrayInputStream(snap), store()));
        assertEquals("backend snapshot: unsupported format version 9 (this build reads version 1)", version.getMessage());
    }

    @Test
    void restoreRefusesANonEmptyTarget() {
        byte[] snap = snapshot(filled());
        MemoryBackend target = store();
        try (WriteTx tx = target.beginWrite()) {
            tx.createBucket("x");
            tx.commit();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendSnapshot.restore(new ByteArrayInputStream(snap), target));
        assertEquals("backend snapshot: restore target mem is not empty (buckets [x])", e.getMessage());
    }

    @Test
    void writeStreamsChunksAsItGoes() {
        MemoryBackend source = filled();
        long[] largest = {0};
        long[] total = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                total[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                total[0] += len;
                largest[0] = Math.max(largest[0], len);
            }
        };
        BackendSnapshot.write(source, counting);
        assertTrue(total[0] > 1 << 20, "the 1 MiB value was written");
        assertEquals(BackendSnapshot.MAX_CHUNK, largest[0], "the largest single write is one chunk: nothing bigger is buffered");
    }
}
