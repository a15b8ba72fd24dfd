package kv.backend.jbolt.internal;

import static kv.backend.jbolt.internal.TreeShapeTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer moves amounts between accounts (the total never changes) and grows the file, while
 * readers that hold their snapshots for a while keep summing: a page reused while a reader could
 * still see it, or a torn view, shows as a wrong total.
 */
class ConcurrencyTest {
    private static final int ACCOUNTS = 3000;
    private static final long TOTAL = ACCOUNTS * 1000L;

    @TempDir
    Path dir;

    @Test
    void readersAlwaysSeeAConsistentSnapshot() throws Exception {
        try (JboltDb db = JboltDb.open(dir.resolve("c.db"), new JboltOptions(1024, Durability.NO_SYNC))) {
            try (JboltTx tx = db.begin(true)) {
                JboltBucket b = tx.createBucket("acct");
                for (int i = 0; i < ACCOUNTS; i++) {
                    b.put(key(i), amount(1000));
                }
                tx.commit();
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                threads.add(Thread.ofPlatform().start(() -> read(db, seed, stop, errors, reads)));
            }
            Thread writer = Thread.ofPlatform().start(() -> write(db, stop, errors));
            Thread.sleep(2500);
            stop.set(true);
            writer.join();
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(errors.isEmpty(), () -> errors.peek().toString());
            assertTrue(reads.get() > 10, "reads: " + reads);
            assertEquals(List.of(), db.check());
        }
    }

    private static void write(JboltDb db, AtomicBoolean stop, ConcurrentLinkedQueue<Throwable> errors) {
        Random r = new Random(42);
        try {
            for (int n = 0; !stop.get(); n++) {
                try (JboltTx tx = db.begin(true)) {
                    JboltBucket b = tx.bucket("acct");
                    for (int j = 0; j < 1 + r.nextInt(50); j++) {
                        byte[] from = key(r.nextInt(ACCOUNTS));
                        byte[] to = key(r.nextInt(ACCOUNTS));
                        long x = r.nextInt(10);
                        b.put(from, amount(value(b.get(from)) - x));
                        b.put(to, amount(value(b.get(to)) + x));
                    }
                    JboltBucket junk = tx.createBucket("junk");
                    junk.put(key(n), new byte[r.nextInt(3000)]);
                    if (n % 7 == 0) {
                        tx.deleteBucket("junk");
                    }
                    tx.commit();
                }
            }
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static void read(JboltDb db, long seed, AtomicBoolean stop, ConcurrentLinkedQueue<Throwable> errors, AtomicLong reads) {
        Random r = new Random(seed);
        try {
            while (!stop.get()) {
                try (JboltTx tx = db.begin(false)) {
                    for (int pass = 0; pass < 1 + r.nextInt(3); pass++) {
                        long sum = 0;
                        try (Cursor c = tx.bucket("acct").cursor()) {
                            for (boolean ok = c.first(); ok; ok = c.next()) {
                                sum += value(c.value());
                            }
                        }
                        if (sum != TOTAL) {
                            throw new AssertionError("snapshot " + tx.txid() + " sums to " + sum);
                        }
                        reads.incrementAndGet();
                        Thread.sleep(r.nextInt(5));
                    }
                }
            }
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static byte[] amount(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static long value(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
