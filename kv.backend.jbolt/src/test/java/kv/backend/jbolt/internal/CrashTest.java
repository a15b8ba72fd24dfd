package kv.backend.jbolt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltDb;
import kv.backend.jbolt.JboltOptions;
import kv.backend.jbolt.JboltTx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child JVM commits batches until it is killed with SIGKILL at a random moment; the file then
 * opens, passes check(), holds every batch the child reported committed (it was acknowledged) and
 * no partial batch. Repeated on the same file, so later rounds also reuse freed pages.
 */
class CrashTest {
    @TempDir
    Path dir;

    static byte[] key(long batch, int i) {
        return ByteBuffer.allocate(12).putLong(batch).putInt(i).array();
    }

    static int batchSize(long batch) {
        return 1 + (int) (batch * 7919 % 60);
    }

    static long last(JboltDb db) {
        try (JboltTx tx = db.begin(false)) {
            JboltBucket m = tx.bucket("meta");
            byte[] v = m == null ? null : m.get("last".getBytes());
            return v == null ? -1 : ByteBuffer.wrap(v).getLong();
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void killedWriterLeavesACommittedState(Durability durability) throws Exception {
        Path file = dir.resolve("crash.db");
        for (int round = 0; round < 4; round++) {
            long acknowledged = runAndKill(file, durability, round, 300 + 250L * round);
            try (JboltDb db = JboltDb.open(file, new JboltOptions(1024, Durability.SYNC))) {
                assertEquals(List.of(), db.check(), "check after kill " + round);
                long last = last(db);
                System.out.println(durability + " round " + round + ": acknowledged " + acknowledged + ", found " + last
                        + ", " + db.stats());
                assertTrue(last >= acknowledged, "lost acknowledged batch " + acknowledged + ", file has " + last);
                assertBatches(db, last);
            }
        }
    }

    private long runAndKill(Path file, Durability durability, int round, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), file.toString(), durability.name(), Long.toString(round))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong acked = new AtomicLong(-1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    acked.set(Long.parseLong(line.trim()));
                }
            } catch (Exception e) {
                // the pipe breaks when the child dies
            }
        });
        // wait until the child commits at all, then let it run a while before the kill
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acked.get() < 0 && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(10);
        }
        Thread.sleep(millis);
        long before = acked.get();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        reader.join(5000);
        assertTrue(before >= 0, "the child never committed");
        return before;
    }

    private static void assertBatches(JboltDb db, long last) {
        try (JboltTx tx = db.begin(false)) {
            JboltBucket data = tx.bucket("data");
            assertNotNull(data);
            long firstBatch = Math.max(0, last - 4);
            long expectBatch = firstBatch;
            int expectI = 0;
            try (Cursor c = data.cursor()) {
                for (boolean ok = c.first(); ok; ok = c.next()) {
                    ByteBuffer k = ByteBuffer.wrap(c.key());
                    assertEquals(expectBatch, k.getLong(), "batch");
                    assertEquals(expectI, k.getInt(), "entry of batch " + expectBatch);
                    if (++expectI == batchSize(expectBatch)) {
                        expectBatch++;
                        expectI = 0;
                    }
                }
            }
            assertEquals(last + 1, expectBatch, "batches " + firstBatch + ".." + last + " complete");
            assertEquals(0, expectI);
        }
    }
}
