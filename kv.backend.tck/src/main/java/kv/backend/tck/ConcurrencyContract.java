package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kv.backend.Backend;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;

/** Many reader threads with one writer thread (which also defragments); one write transaction at a time. */
public abstract class ConcurrencyContract extends ScaleContract {
    private static final int ACCOUNTS = 100;
    private static final long TOTAL = ACCOUNTS * 1_000L;

    protected ConcurrencyContract() {}

    private static byte[] account(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static byte[] amount(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static long amountOf(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }

    @Test
    public void readersAlwaysSeeWholeTransfersWhileTheWriterCommits() throws Exception {
        Backend b = open("s");
        write(b, tx -> {
            tx.createBucket("bank");
            for (int i = 0; i < ACCOUNTS; i++) {
                tx.put("bank", account(i), amount(TOTAL / ACCOUNTS));
            }
        });
        AtomicBoolean done = new AtomicBoolean();
        List<CompletableFuture<Long>> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            readers.add(CompletableFuture.supplyAsync(() -> audit(b, done), r -> Thread.ofPlatform().start(r)));
        }
        Random r = new Random(8);
        try {
            for (int n = 0; n < 600; n++) {
                if (n == 300) {
                    b.defragment(); // readers go on auditing while the store is rewritten
                }
                int from = r.nextInt(ACCOUNTS);
                int to = r.nextInt(ACCOUNTS);
                long sum = r.nextInt(50);
                try (WriteTx tx = b.beginWrite()) {
                    tx.put("bank", account(from), amount(amountOf(tx.get("bank", account(from))) - sum));
                    tx.put("bank", account(to), amount(amountOf(tx.get("bank", account(to))) + sum));
                    if (n % 7 == 0) {
                        continue; // aborted transfer
                    }
                    tx.commit();
                }
            }
        } finally {
            done.set(true);
        }
        for (CompletableFuture<Long> f : readers) {
            try {
                assertTrue(f.get(60, TimeUnit.SECONDS) > 0, "a reader audited at least once");
            } catch (ExecutionException e) {
                throw new AssertionError("a reader saw a broken state", e.getCause());
            }
        }
        assertEquals(TOTAL, total(b), "money is conserved");
    }

    /** Audits until {@code done}: every read transaction must see all accounts and the same total. */
    private static long audit(Backend b, AtomicBoolean done) {
        long audits = 0;
        Random r = new Random(Thread.currentThread().threadId());
        do {
            try (ReadTx tx = b.beginRead()) {
                long first = amountOf(tx.get("bank", account(r.nextInt(ACCOUNTS))));
                assertTrue(first <= TOTAL, "an account holds more than all the money");
                long[] sum = {0};
                long[] count = {0};
                tx.scan("bank", null, null, (k, v) -> {
                    sum[0] += amountOf(v);
                    count[0]++;
                    return true;
                });
                assertEquals(ACCOUNTS, count[0], "accounts seen by one reader");
                assertEquals(TOTAL, sum[0], "total seen by one reader (a half-visible transfer?)");
                audits++;
            }
        } while (!done.get());
        return audits;
    }

    private static long total(Backend b) {
        long[] sum = {0};
        try (ReadTx tx = b.beginRead()) {
            tx.scan("bank", null, null, (k, v) -> {
                sum[0] += amountOf(v);
                return true;
            });
        }
        return sum[0];
    }

    @Test
    public void beginWriteWaitsUntilTheFirstWriterCommits() throws Exception {
        Backend b = open("s");
        write(b, tx -> tx.createBucket("w"));
        WriteTx first = b.beginWrite();
        first.put("w", bytes(1), bytes(1));
        AtomicBoolean secondBegan = new AtomicBoolean();
        AtomicReference<byte[]> secondSaw = new AtomicReference<>();
        CountDownLatch starting = new CountDownLatch(1);
        Thread second = Thread.ofPlatform().start(() -> {
            starting.countDown();
            try (WriteTx tx = b.beginWrite()) {
                secondBegan.set(true);
                secondSaw.set(tx.get("w", bytes(1)));
                tx.put("w", bytes(2), bytes(2));
                tx.commit();
            }
        });
        starting.await();
        Thread.sleep(300);
        assertFalse(secondBegan.get(), "a second beginWrite returned while the first write transaction was open");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (ReadTx r = b.beginRead()) {
                assertNull(r.get("w", bytes(1)), "readers go on while a writer is open");
            }
        });
        first.commit();
        second.join(10_000);
        assertTrue(secondBegan.get(), "the second writer began after the first committed");
        assertArrayEquals(bytes(1), secondSaw.get(), "the second writer sees the first one's commit");
        try (ReadTx r = b.beginRead()) {
            assertArrayEquals(bytes(2), r.get("w", bytes(2)));
        }
    }

    @Test
    public void anAbortedWriterLetsTheNextOneIn() throws Exception {
        Backend b = open("s");
        write(b, tx -> tx.createBucket("w"));
        WriteTx first = b.beginWrite();
        first.put("w", bytes(1), bytes(1));
        CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(() -> {
            try (WriteTx tx = b.beginWrite()) {
                return tx.get("w", bytes(1));
            }
        }, r -> Thread.ofPlatform().start(r));
        Thread.sleep(200);
        assertFalse(second.isDone(), "a second writer began while the first was open");
        first.close();
        assertNull(second.get(10, TimeUnit.SECONDS), "the aborted write is not seen by the next writer");
    }
}
