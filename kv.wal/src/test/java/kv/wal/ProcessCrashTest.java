package kv.wal;

import static kv.wal.Workloads.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kv.raft.raftpb.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends with fsync and prints every acknowledged index; it is killed with SIGKILL at
 * random moments, and after each kill the log must hold every acknowledged index, intact and in order.
 */
class ProcessCrashTest {
    private static final int KILLS = Boolean.getBoolean("kv.long") ? 100 : 10;

    @TempDir
    Path tmp;

    @Test
    void killedWriterLosesNothingAcknowledged() throws Exception {
        Path dir = tmp.resolve("wal");
        Random rnd = new Random();
        long checked = 0;
        long maxAcked = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Process p = new ProcessBuilder(WalCrashChild.command(dir))
                    .redirectError(tmp.resolve("child-" + kill + ".err").toFile()).start();
            AtomicLong acked = new AtomicLong(-1);
            Thread reader = Thread.ofPlatform().start(() -> readAcks(p, acked));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.get() < 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "child exited early, see " + tmp.resolve("child-" + kill + ".err"));
            if (kill == 1) {
                WalException locked = assertThrows(WalException.class,
                        () -> Wal.open(new WalConfig(dir, ByteSize.ofKibibytes(64)), SnapshotPosition.ZERO));
                assertTrue(locked.getMessage().contains("is locked by another process"), locked.getMessage());
            }
            Thread.sleep(50 + rnd.nextInt(400));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join();
            long last = acked.get();
            try (Wal w = Wal.open(new WalConfig(dir, ByteSize.ofKibibytes(64)), SnapshotPosition.ZERO)) {
                List<Entry> got = w.readAll().entries();
                assertTrue(got.size() >= last, "kill " + kill + ": acknowledged " + last + ", recovered " + got.size());
                for (int i = 0; i < last; i++) {
                    assertEquals(entry(i + 1, 1, 256), got.get(i), "kill " + kill + " index " + (i + 1));
                }
                checked += last;
            }
            maxAcked = Math.max(maxAcked, last);
        }
        System.out.printf("process kills: %d, acknowledged indices checked: %d (log reached index %d)%n", KILLS, checked, maxAcked);
        assertTrue(maxAcked > 0, "the child never acknowledged anything");
    }

    /** Keeps the highest acknowledged index; {@code acked} becomes >= 0 once the child is ready. */
    private static void readAcks(Process p, AtomicLong acked) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    acked.set(Long.parseLong(line.substring(6)) - 1);
                } else {
                    acked.set(Long.parseLong(line.trim()));
                }
            }
        } catch (Exception e) {
            // the pipe breaks when the child is killed; the last complete line counts
        }
    }
}
