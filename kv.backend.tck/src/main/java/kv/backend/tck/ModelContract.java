package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.stream.LongStream;
import kv.backend.Backend;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import org.junit.jupiter.api.Test;

/**
 * A randomized test against {@link Model}: random interleavings of puts, deletes, range deletes,
 * bucket creation and deletion, commits (SYNC and NO_SYNC), aborts, cursor walks, concurrent
 * readers and close/reopen, each step checked against the model. Seeded and reproducible: a
 * failure names its seed and step and the last operations; {@code -Dkv.tck.seed=N} replays one seed.
 */
public abstract class ModelContract extends MisuseContract {
    /** The seeds every default run uses, so that a failure in CI reproduces on a laptop. */
    static final long[] DEFAULT_SEEDS = {1, 2, 3, 0x5eed};

    private static final String[] BUCKETS = {"alpha", "beta", "gamma", "δέλτα"};
    private static final int[] ALPHABET = {0x00, 0x01, 0x41, 0x7f, 0x80, 0xfe, 0xff};

    protected ModelContract() {}

    /** The seeds to run: {@code kv.tck.seed} alone when set, many under {@code kv.long}, else the defaults. */
    static long[] seeds() {
        String replay = System.getProperty("kv.tck.seed");
        if (replay != null) {
            return new long[] {Long.decode(replay.trim())};
        }
        if (Boolean.getBoolean("kv.long")) {
            return LongStream.concat(LongStream.of(DEFAULT_SEEDS), new Random().longs(200)).toArray();
        }
        return DEFAULT_SEEDS;
    }

    @Test
    public void randomOperationsMatchTheModel() {
        int steps = Boolean.getBoolean("kv.long") ? 5_000 : 1_500;
        long[] seeds = seeds();
        for (long seed : seeds) {
            new Run(seed).go(steps);
        }
        System.out.println(provider().name() + " model test: " + seeds.length + " seeds x " + steps + " steps passed"
                + (seeds.length == 1 ? " (seed " + seeds[0] + ")" : ""));
    }

    /** One seeded run over one store. */
    private final class Run {
        private final long seed;
        private final Random r;
        private final Deque<String> recent = new ArrayDeque<>();
        private Backend b;
        private Model committed = new Model();
        private Model working;
        private WriteTx tx;

        Run(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
        }

        void go(int steps) {
            int step = 0;
            try {
                b = open("model-" + Long.toHexString(seed));
                for (step = 0; step < steps; step++) {
                    if (tx == null) {
                        idleStep();
                    } else {
                        writeStep();
                    }
                }
                if (tx != null) {
                    note("commit (final)");
                    tx.commit();
                    committed = working;
                    tx = null;
                }
                reopenAndVerify();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("model test failed with seed " + seed + " at step " + step
                        + " (replay with -Dkv.tck.seed=" + seed + "); last operations, oldest first:\n  "
                        + String.join("\n  ", recent) + "\n" + e, e);
            }
        }

        private void note(String op) {
            if (recent.size() == 30) {
                recent.removeFirst();
            }
            recent.addLast(op);
        }

        private void idleStep() {
            int p = r.nextInt(100);
            if (p < 70) {
                note("beginWrite");
                tx = b.beginWrite();
                working = committed.copy();
            } else if (p < 95) {
                note("read check");
                try (ReadTx rt = b.beginRead()) {
                    committed.assertMatches(rt, "read transaction");
                    cursorWalk(rt, committed);
                }
            } else {
                reopenAndVerify();
            }
        }

        private void reopenAndVerify() {
            note("close and reopen");
            b = reopen(b);
            afterEachCheck(b);
            try (ReadTx rt = b.beginRead()) {
                committed.assertMatches(rt, "after reopen");
            }
        }

        private void writeStep() {
            int p = r.nextInt(100);
            String bucket = BUCKETS[r.nextInt(BUCKETS.length)];
            if (p < 40) {
                put(bucket);
            } else if (p < 52) {
                delete(bucket);
            } else if (p < 57) {
                deleteRange(bucket);
            } else if (p < 62) {
                note("createBucket " + bucket);
                assertEquals(working.createBucket(bucket), tx.createBucket(bucket), "createBucket " + bucket);
            } else if (p < 64) {
                note("deleteBucket " + bucket);
                assertEquals(working.deleteBucket(bucket), tx.deleteBucket(bucket), "deleteBucket " + bucket);
            } else if (p < 72) {
                byte[] k = key();
                note("get " + bucket + " " + Model.hex(k));
                if (working.hasBucket(bucket)) {
                    Model.assertEntry(k, working.get(bucket, k), k, tx.get(bucket, k), "get in the write transaction");
                }
            } else if (p < 76) {
                note("cursor walk in the write transaction");
                cursorWalk(tx, working);
            } else if (p < 80) {
                note("reader during the write transaction");
                try (ReadTx rt = b.beginRead()) {
                    committed.assertMatches(rt, "reader while a write transaction is open");
                }
            } else {
                endStep(p);
            }
        }

        private void endStep(int p) {
            if (p < 92) {
                Durability d = r.nextBoolean() ? Durability.SYNC : Durability.NO_SYNC;
                note("commit " + d);
                tx.commit(d);
                committed = working;
            } else if (p < 98) {
                note("abort");
                tx.close();
            } else {
                note("close the backend with the write transaction open");
                Backend old = b;
                b = reopen(old);
                tx.close();
                try (ReadTx rt = b.beginRead()) {
                    committed.assertMatches(rt, "after closing with an open write transaction");
                }
            }
            tx = null;
            working = null;
        }

        private void put(String bucket) {
            byte[] k = key();
            byte[] v = new byte[r.nextInt(100) == 0 ? 3000 + r.nextInt(5000) : r.nextInt(24)];
            r.nextBytes(v);
            note("put " + bucket + " " + Model.hex(k) + " (" + v.length + " bytes)");
            if (!working.hasBucket(bucket)) {
                assertThrows(BucketNotFoundException.class, () -> tx.put(bucket, k, v), "put into missing bucket " + bucket);
                return;
            }
            tx.put(bucket, k, v);
            working.put(bucket, k, v);
        }

        private void delete(String bucket) {
            byte[] k = key();
            note("delete " + bucket + " " + Model.hex(k));
            if (!working.hasBucket(bucket)) {
                assertThrows(BucketNotFoundException.class, () -> tx.delete(bucket, k), "delete in missing bucket " + bucket);
                return;
            }
            assertEquals(working.delete(bucket, k), tx.delete(bucket, k), "delete " + Model.hex(k) + " found the key");
        }

        private void deleteRange(String bucket) {
            byte[] from = key();
            byte[] to = r.nextInt(5) == 0 ? null : key();
            note("deleteRange " + bucket + " [" + Model.hex(from) + ", " + Model.hex(to) + ")");
            if (!working.hasBucket(bucket)) {
                assertThrows(BucketNotFoundException.class, () -> tx.deleteRange(bucket, from, to), "deleteRange in missing bucket");
                return;
            }
            assertEquals(working.deleteRange(bucket, from, to), tx.deleteRange(bucket, from, to), "deleteRange count");
        }

        /** Seeks to a random key and steps forward and backward, comparing each position with the model. */
        private void cursorWalk(ReadTx t, Model m) {
            List<String> names = m.bucketNames();
            if (names.isEmpty()) {
                return;
            }
            String bucket = names.get(r.nextInt(names.size()));
            NavigableMap<byte[], byte[]> entries = m.entries(bucket);
            try (Cursor c = t.cursor(bucket)) {
                byte[] target = key();
                Map.Entry<byte[], byte[]> at = entries.ceilingEntry(target);
                assertPosition(at, c.seek(target), c, "seek " + Model.hex(target));
                for (int i = 0; i < 20 && at != null; i++) {
                    boolean forward = r.nextBoolean();
                    at = forward ? entries.higherEntry(at.getKey()) : entries.lowerEntry(at.getKey());
                    assertPosition(at, forward ? c.next() : c.prev(), c, forward ? "next" : "prev");
                }
            }
        }

        private static void assertPosition(Map.Entry<byte[], byte[]> expected, boolean positioned, Cursor c, String move) {
            assertEquals(expected != null, positioned, move + ": positioned");
            if (expected != null) {
                assertArrayEquals(expected.getKey(), c.key(), move + ": key");
                assertArrayEquals(expected.getValue(), c.value(), move + ": value");
            }
        }

        private byte[] key() {
            byte[] k = new byte[1 + r.nextInt(3)];
            for (int i = 0; i < k.length; i++) {
                k[i] = (byte) ALPHABET[r.nextInt(ALPHABET.length)];
            }
            return k;
        }
    }
}
