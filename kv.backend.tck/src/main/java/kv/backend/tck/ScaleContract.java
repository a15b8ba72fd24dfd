package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import kv.backend.Backend;
import kv.backend.BackendHash;
import kv.backend.Bytes;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;

/** Size accounting and defragment, and a store of a million keys. */
public abstract class ScaleContract extends SnapshotContract {
    /** Keys in the million-key test; 1,000,000 unless {@code kv.tck.million} says otherwise (for quick local runs). */
    static final int MILLION = Integer.getInteger("kv.tck.million", 1_000_000);

    protected ScaleContract() {}

    @Test
    public void defragmentKeepsEveryKeyAndShrinksTheStoreAfterMassDeletes() {
        Backend b = open("s");
        Random r = new Random(21);
        Model model = new Model();
        model.createBucket("d");
        write(b, tx -> tx.createBucket("d"));
        for (int batch = 0; batch < 10; batch++) {
            int base = batch * 2_000;
            write(b, tx -> {
                for (int i = base; i < base + 2_000; i++) {
                    byte[] v = new byte[1024];
                    r.nextBytes(v);
                    tx.put("d", key(i), v);
                    model.put("d", key(i), v);
                }
            });
        }
        write(b, tx -> {
            for (int i = 0; i < 20_000; i++) {
                if (i % 10 != 0) {
                    tx.delete("d", key(i));
                    model.delete("d", key(i));
                }
            }
        });
        long before = b.sizeOnDisk();
        assertTrue(b.sizeInUse() <= before, "sizeInUse " + b.sizeInUse() + " <= sizeOnDisk " + before);
        BackendHash hash = BackendHash.of(b);
        ReadTx across = b.beginRead();
        b.defragment();
        long after = b.sizeOnDisk();
        model.assertMatches(across, "a reader that began before defragment, after it");
        across.close();
        System.out.println(provider().name() + " defragment: sizeOnDisk " + before + " -> " + after + " bytes, sizeInUse " + b.sizeInUse());
        assertTrue(after < before, "defragment after deleting 90% of 20 MB shrinks sizeOnDisk (" + before + " -> " + after + ")");
        assertTrue(b.sizeInUse() <= after, "sizeInUse " + b.sizeInUse() + " <= sizeOnDisk " + after);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after defragment");
        }
        assertEquals(hash, BackendHash.of(b), "content hash after defragment");
        write(b, tx -> tx.put("d", key(1), bytes(1)));
        model.put("d", key(1), bytes(1));
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after defragment, a commit and reopen");
        }
    }

    /** Key {@code i}: scrambled so that inserts land all over the key space, not in order. */
    private static byte[] key(int i) {
        return ByteBuffer.allocate(8).putInt(i * 0x9E3779B1).putInt(i).array();
    }

    private static byte[] value(int i) {
        return ByteBuffer.allocate(16).putInt(i).putInt(~i).putLong(i * 31L).array();
    }

    @Test
    public void aMillionKeysArePutScannedAndFound() {
        Backend b = open("s");
        long t0 = System.nanoTime();
        write(b, tx -> tx.createBucket("m"));
        int batch = 50_000;
        for (int start = 0; start < MILLION; start += batch) {
            int from = start;
            try (WriteTx tx = b.beginWrite()) {
                for (int i = from; i < Math.min(MILLION, from + batch); i++) {
                    tx.put("m", key(i), value(i));
                }
                tx.commit(Durability.NO_SYNC);
            }
        }
        b.sync();
        long t1 = System.nanoTime();
        verifyMillion(b, "after the puts");
        long t2 = System.nanoTime();
        b = reopen(b);
        verifyMillion(b, "after reopen");
        long t3 = System.nanoTime();
        System.out.printf("%s %,d keys: put %d ms, scan+spot checks %d ms, reopen+scan %d ms, %,d bytes on disk%n",
                provider().name(), MILLION, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, b.sizeOnDisk());
    }

    private static void verifyMillion(Backend b, String when) {
        try (ReadTx tx = b.beginRead()) {
            long[] count = {0};
            byte[][] previous = {null};
            tx.scan("m", null, null, (k, v) -> {
                if (previous[0] != null && Bytes.compare(previous[0], k) >= 0) {
                    throw new AssertionError(when + ": scan out of order at entry " + count[0]);
                }
                previous[0] = k;
                count[0]++;
                return true;
            });
            assertEquals(MILLION, count[0], when + ": entries scanned");
            Random r = new Random(MILLION);
            for (int n = 0; n < 2_000; n++) {
                int i = r.nextInt(MILLION);
                assertArrayEquals(value(i), tx.get("m", key(i)), when + ": value of key " + i);
            }
        }
    }
}
