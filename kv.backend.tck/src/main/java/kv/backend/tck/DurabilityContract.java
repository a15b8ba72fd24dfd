package kv.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.tck.internal.CrashChild;
import org.junit.jupiter.api.Test;

/**
 * Crash durability: a child JVM (the same java binary and class path) commits numbered
 * transactions and reports each acknowledged one; the parent kills it with SIGKILL at a random
 * moment, reopens the store, and checks that every acknowledged transaction is there and that no
 * transaction is partly visible. Also: NO_SYNC commits are atomic and kept by a clean close.
 *
 * <p>The provider class needs a public no-argument constructor (the child instantiates it).
 * 5 SYNC, 3 NO_SYNC and 3 defragmenting kills by default, 50, 20 and 30 under {@code kv.long}.
 */
public abstract class DurabilityContract extends IsolationContract {
    private static final System.Logger LOG = System.getLogger(DurabilityContract.class.getName());

    protected DurabilityContract() {}

    @Test
    public void acknowledgedSyncCommitsSurviveSigkill() throws Exception {
        crashLoop(Durability.SYNC, 0, Boolean.getBoolean("kv.long") ? 50 : 5);
    }

    @Test
    public void noSyncCommitsAreNeverTornBySigkillAndSyncMakesThemDurable() throws Exception {
        crashLoop(Durability.NO_SYNC, 0, Boolean.getBoolean("kv.long") ? 20 : 3);
    }

    /** The child defragments every 5 commits, so some kills land inside a defragment. */
    @Test
    public void aSigkillDuringDefragmentLosesNothing() throws Exception {
        crashLoop(Durability.SYNC, 5, Boolean.getBoolean("kv.long") ? 30 : 3);
    }

    private void crashLoop(Durability durability, int defragEvery, int kills) throws Exception {
        String what = durability + (defragEvery > 0 ? ", defragment every " + defragEvery : "");
        Path dir = tmp.resolve("crash-" + durability + "-" + defragEvery);
        Files.createDirectories(dir);
        Random r = new Random();
        long checkedCommits = 0;
        long lastInStore = 0;
        for (int kill = 1; kill <= kills; kill++) {
            long acked = runAndKill(dir, durability, defragEvery, kill, r);
            Backend b = open(config(dir));
            long last = verifyCrashStore(b, acked);
            assertTrue(last >= lastInStore, "the store went back from transaction " + lastInStore + " to " + last);
            checkedCommits += last - lastInStore;
            lastInStore = last;
            afterEachCheck(b);
            close(b);
        }
        String summary = provider().name() + " crash test (" + what + "): " + kills + " SIGKILLs, "
                + checkedCommits + " committed transactions checked";
        System.out.println(summary);
        LOG.log(System.Logger.Level.INFO, summary);
    }

    /** Starts a child, waits for it to acknowledge a commit, kills it at a random moment; returns its last acknowledgement. */
    private long runAndKill(Path dir, Durability durability, int defragEvery, int kill, Random r) throws Exception {
        Path err = tmp.resolve("child-" + durability + "-" + defragEvery + "-" + kill + ".err");
        Process child = new ProcessBuilder(childCommand(dir, durability, defragEvery))
                .redirectError(err.toFile())
                .start();
        AtomicLong acked = new AtomicLong(-1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> readAcks(child, acked));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.get() < 0) {
                if (!child.isAlive()) {
                    fail("crash child exited with " + child.exitValue() + " before acknowledging a commit; stderr:\n" + Files.readString(err));
                }
                if (System.nanoTime() > deadline) {
                    fail("crash child acknowledged no commit within 60 s; stderr:\n" + Files.readString(err));
                }
                Thread.sleep(5);
            }
            Thread.sleep(r.nextInt(400));
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        return acked.get();
    }

    private static void readAcks(Process child, AtomicLong acked) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(CrashChild.ACK)) {
                    acked.set(Long.parseLong(line.substring(CrashChild.ACK.length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the child was killed mid-line: what was read before stands
        }
    }

    private List<String> childCommand(Path dir, Durability durability, int defragEvery) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("cannot find the java binary of this JVM")));
        cmd.addAll(childJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(provider().getClass().getName());
        cmd.add(dir.toString());
        cmd.add(durability.name());
        cmd.add(Integer.toString(defragEvery));
        BackendConfig config = config(dir);
        config.options().forEach((k, v) -> cmd.add(k + "=" + v));
        return cmd;
    }

    /**
     * Checks the crash store: transaction {@code last} is at or after the acknowledged one, and the
     * bucket holds exactly the keys of the last {@link CrashChild#KEEP} transactions with their values.
     */
    private static long verifyCrashStore(Backend b, long acked) {
        try (ReadTx tx = b.beginRead()) {
            byte[] lastBytes = tx.get(CrashChild.BUCKET, CrashChild.lastKey());
            long last = lastBytes == null ? 0 : ByteBuffer.wrap(lastBytes).getLong();
            assertTrue(last >= acked, "transaction " + acked + " was acknowledged but the store ends at " + last);
            // No upper bound: destroyForcibly closes the pipe, so acknowledgements still in it are never read.
            long first = Math.max(1, last - CrashChild.KEEP + 1);
            try (Cursor c = tx.cursor(CrashChild.BUCKET)) {
                boolean ok = c.first();
                for (long n = first; n <= last; n++) {
                    for (int i = 0; i < CrashChild.KEYS_PER_TX; i++) {
                        assertTrue(ok, "key " + i + " of transaction " + n + " is missing (store at transaction " + last + ")");
                        assertArrayEquals(CrashChild.key(n, i), c.key(), "expected key " + i + " of transaction " + n
                                + " (store at transaction " + last + "): a partial or leftover transaction");
                        assertTrue(CrashChild.isValue(c.value(), n, i), "value of key " + i + " of transaction " + n);
                        ok = c.next();
                    }
                }
                assertTrue(ok, "the key \"last\" is missing");
                assertArrayEquals(CrashChild.lastKey(), c.key(), "unexpected key after transaction " + last + ": a partial transaction");
                assertEquals(false, c.next(), "unexpected key after \"last\"");
            }
            return last;
        }
    }

    @Test
    public void noSyncCommitsAreAtomicAndKeptByACleanClose() {
        Backend b = open("s");
        Model model = new Model();
        Random r = new Random(5);
        for (int t = 0; t < 200; t++) {
            boolean abort = r.nextInt(10) == 0;
            Model next = model.copy();
            try (var tx = b.beginWrite()) {
                if (next.createBucket("n")) {
                    tx.createBucket("n");
                }
                for (int i = 0; i < 20; i++) {
                    byte[] k = bytes(r.nextInt(256), r.nextInt(256));
                    byte[] v = new byte[r.nextInt(200)];
                    r.nextBytes(v);
                    tx.put("n", k, v);
                    next.put("n", k, v);
                }
                if (!abort) {
                    tx.commit(Durability.NO_SYNC);
                    model = next;
                }
            }
        }
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after NO_SYNC commits and a clean close");
        }
        write(b, tx -> tx.put("n", bytes(1), bytes(1)));
        model.put("n", bytes(1), bytes(1));
        try (var tx = b.beginWrite()) {
            tx.put("n", bytes(2), bytes(2));
            tx.commit(Durability.NO_SYNC);
        }
        model.put("n", bytes(2), bytes(2));
        b.sync();
        b = reopen(b);
        try (ReadTx tx = b.beginRead()) {
            model.assertMatches(tx, "after sync and reopen");
        }
    }
}
