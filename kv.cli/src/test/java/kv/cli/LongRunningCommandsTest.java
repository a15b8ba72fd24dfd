package kv.cli;

import static kv.cli.EtcdctlParityTest.assertSame;
import static kv.cli.EtcdctlParityTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership changes, lock and elect, compared with etcdctl on a cluster of their own. */
class LongRunningCommandsTest {
    @TempDir
    static Path dir;
    static EtcdCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EtcdCluster.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void learnerAddAndRemoveMatch() {
        int port = 2;
        for (String f : new String[] {"simple", "json", "fields"}) {
            // a fresh peer URL each time: etcd may still be forgetting the member just removed
            String ePeer = "http://127.0.0.1:" + port++;
            EtcdCluster.Run e = cluster.etcdctl("-w", f, "member", "add", "spare", "--learner", "--peer-urls=" + ePeer);
            String eId = addedId(e, ePeer);
            EtcdCluster.Run eRemove = cluster.etcdctl("-w", f, "member", "remove", eId);
            String kPeer = "http://127.0.0.1:" + port++;
            EtcdCluster.Run k = cluster.kvctl("-w", f, "member", "add", "spare", "--learner", "--peer-urls=" + kPeer);
            String kId = addedId(k, kPeer);
            EtcdCluster.Run kRemove = cluster.kvctl("-w", f, "member", "remove", kId);
            // the member list's order follows the random new ids: compare the lines' and items' multisets
            assertEquals(canonical(e.text()), canonical(k.text()), e + "\n" + k);
            assertEquals(e.status(), k.status(), e + "\n" + k);
            assertEquals(EtcdctlParityTest.errorLine(e.err()), EtcdctlParityTest.errorLine(k.err()));
            assertSame(eRemove, kRemove, true);
        }
    }

    private static java.util.List<String> canonical(String out) {
        return java.util.Arrays.stream(EtcdctlParityTest.normalise(out, true).split("[\\n,{}\\[\\]=\"]")).filter(t -> !t.isEmpty()).sorted().toList();
    }

    /** The new member's id, from the member list (-w fields cannot show member add: etcdctl adds, then fails to print). */
    private static String addedId(EtcdCluster.Run add, String peer) {
        EtcdCluster.Run list = ok(cluster.kvctl("member", "list"));
        Matcher m = Pattern.compile("(?m)^([0-9a-f]+), unstarted, , " + Pattern.quote(peer) + ", , true$").matcher(list.text());
        assertTrue(m.find(), list + "\n" + add);
        return m.group(1);
    }

    @Test
    void lockRunsTheCommandWhileHoldingTheLock() {
        String[] args = {"lock", "biglock", "--", "sh", "-c", "echo held $ETCD_LOCK_KEY"};
        EtcdCluster.Run e = cluster.etcdctl(args);
        EtcdCluster.Run k = cluster.kvctl(args);
        assertSame(e, k, true);
        assertTrue(k.text().startsWith("held biglock/"), k.toString());
        EtcdCluster.Run failing = cluster.kvctl("lock", "biglock", "--", "false");
        assertEquals(cluster.etcdctl("lock", "biglock", "--", "false").status(), failing.status(), failing.toString());
    }

    @Test
    void lockAndElectHoldUntilInterruptedThenRelease() throws Exception {
        String lockOut = holdThenInterrupt("lock", "held");
        assertTrue(lockOut.startsWith("held/"), lockOut);
        assertEquals("", ok(cluster.kvctl("get", "--prefix", "held/")).text(), "the lock key is deleted on the way out");
        String electOut = holdThenInterrupt("elect", "office", "alice");
        assertTrue(electOut.matches("office/[0-9a-f]+\nalice\n"), electOut);
        assertEquals("", ok(cluster.kvctl("get", "--prefix", "office/")).text(), "resigned on the way out");
    }

    /** Runs a holding command in-process, waits for its key line, interrupts it (as Ctrl-C does) and returns its output. */
    private static String holdThenInterrupt(String... command) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--endpoints", cluster.endpoint()), java.util.Arrays.stream(command))
                .toArray(String[]::new);
        int[] status = {-1};
        Thread t = Thread.ofPlatform().start(() -> status[0] = Main.run(args, java.io.InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), Map.of()));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (out.toString(StandardCharsets.UTF_8).split("\n").length < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        t.interrupt();
        t.join(10_000);
        assertEquals(0, status[0], out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
