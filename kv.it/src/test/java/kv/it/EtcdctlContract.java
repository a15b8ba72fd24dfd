package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified etcdctl 3.4 (Debian's etcd-client) against a server, checking what it prints. The same
 * tests run against real etcd and against kvd: a test that passes only against kvd would be testing
 * our mistake, not etcd's behaviour. Each test uses its own keys; the server lives for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EtcdctlContract {
    Path dir;
    TestServer server;

    abstract TestServer startServer(Path dir) throws IOException;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        dir = tmp;
        server = startServer(dir);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    TestServer.Run ctl(String... args) throws IOException {
        return ctlIn(null, args);
    }

    TestServer.Run ctlIn(String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", server.endpoint(), "--command-timeout=10s"));
        cmd.addAll(List.of(args));
        return TestServer.run(Map.of("ETCDCTL_API", "3"), cmd, stdin);
    }

    TestServer.Run ok(String... args) throws IOException {
        TestServer.Run r = ctl(args);
        assertEquals(0, r.exit(), () -> "etcdctl " + String.join(" ", args) + " failed: " + r.err());
        return r;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), () -> field + " not in " + json);
        return Long.parseUnsignedLong(m.group(1));
    }

    /** The last line etcdctl printed on stderr, which is its error line. */
    static String errorLine(TestServer.Run r) {
        List<String> lines = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
        return lines.isEmpty() ? r.err() : lines.getLast();
    }

    @Test
    void anEmptyStoreIsAtRevisionOneAndEachChangeAddsOne() throws IOException {
        long start = number(ok("get", "rev-probe", "-w", "json").out(), "revision");
        long afterPut = number(ok("put", "rev-probe", "v", "-w", "json").out(), "revision");
        assertEquals(start + 1, afterPut);
        String got = ok("get", "rev-probe", "-w", "json").out();
        assertEquals(afterPut, number(got, "create_revision"));
        assertEquals(afterPut, number(got, "mod_revision"));
        assertEquals(1, number(got, "version"));
        assertTrue(got.contains("\"key\":\"" + b64("rev-probe") + "\""), got);
    }

    @Test
    void putGetAndItsFormats() throws IOException {
        assertEquals("OK\n", ok("put", "fmt/a", "1").out());
        assertEquals("fmt/a\n1\n", ok("get", "fmt/a").out());
        assertEquals("1\n", ok("get", "fmt/a", "--print-value-only").out());
        assertEquals("", ok("get", "fmt/none").out());
        String fields = ok("get", "fmt/a", "-w", "fields").out();
        assertTrue(fields.contains("\"Key\" : \"fmt/a\""), fields);
        assertTrue(fields.contains("\"Value\" : \"1\""), fields);
        assertTrue(fields.contains("\"Count\" : 1"), fields);
    }

    @Test
    void rangesWithPrefixLimitSortAndCount() throws IOException {
        for (String k : List.of("rng/b", "rng/a", "rng/c")) {
            ok("put", k, "v-" + k);
        }
        assertEquals("rng/a\nv-rng/a\nrng/b\nv-rng/b\nrng/c\nv-rng/c\n", ok("get", "rng/", "--prefix").out());
        assertEquals("rng/a\n\nrng/b\n\n", ok("get", "rng/", "--prefix", "--keys-only", "--limit", "2").out());
        assertEquals("rng/c\nrng/b\nrng/a\n", ok("get", "rng/", "--prefix", "--keys-only", "--sort-by", "KEY", "--order", "DESCEND")
                .out().replace("\n\n", "\n"));
        assertEquals(3, number(ok("get", "rng/", "--prefix", "--limit", "1", "-w", "json").out(), "count"));
        assertEquals("rng/b\nrng/c\n", ok("get", "rng/b", "--from-key", "--keys-only").out().replace("\n\n", "\n").lines()
                .filter(l -> l.startsWith("rng/")).map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void deleteWithPrevKvAndPrefix() throws IOException {
        ok("put", "del/a", "1");
        ok("put", "del/b", "2");
        assertEquals("1\ndel/a\n1\n", ok("del", "del/a", "--prev-kv").out());
        assertEquals("1\n", ok("del", "del/", "--prefix").out());
        assertEquals("0\n", ok("del", "del/", "--prefix").out());
    }

    @Test
    void historicalReadsAndCompaction() throws IOException {
        long r1 = number(ok("put", "hist/k", "one", "-w", "json").out(), "revision");
        ok("put", "hist/k", "two");
        assertEquals("one\n", ok("get", "hist/k", "--rev", Long.toString(r1), "--print-value-only").out());
        TestServer.Run future = ctl("get", "hist/k", "--rev", "99999999");
        assertEquals(1, future.exit());
        assertEquals("Error: etcdserver: mvcc: required revision is a future revision", errorLine(future));
        long now = number(ok("get", "hist/k", "-w", "json").out(), "revision");
        assertEquals("compacted revision " + now + "\n", ok("compaction", Long.toString(now)).out());
        TestServer.Run old = ctl("get", "hist/k", "--rev", Long.toString(r1));
        assertEquals(1, old.exit());
        assertEquals("Error: etcdserver: mvcc: required revision has been compacted", errorLine(old));
        assertEquals("two\n", ok("get", "hist/k", "--print-value-only").out());
    }

    @Test
    void txnFromStandardInput() throws IOException {
        ok("put", "txn/k", "old");
        String script = "value(\"txn/k\") = \"old\"\n\nput txn/k new\nput txn/other x\n\nput txn/k failed\n\n";
        TestServer.Run r = ctlIn(script, "txn");
        assertEquals(0, r.exit(), r.err());
        assertEquals("SUCCESS\n\nOK\n\nOK\n", r.out());
        assertEquals("new\n", ok("get", "txn/k", "--print-value-only").out());
        TestServer.Run again = ctlIn(script, "txn");
        assertEquals("FAILURE\n\nOK\n", again.out());
        assertEquals("failed\n", ok("get", "txn/k", "--print-value-only").out());
    }

    @Test
    void leasesGrantAttachTimeToLiveRevoke() throws IOException {
        String grant = ok("lease", "grant", "60").out();
        Matcher m = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(60s\\)").matcher(grant);
        assertTrue(m.find(), grant);
        String id = m.group(1);
        ok("put", "lease/k", "v", "--lease", id);
        String ttl = ok("lease", "timetolive", id, "--keys").out();
        assertTrue(ttl.matches("(?s)lease " + id + " granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[lease/k\\]\\)\n"), ttl);
        assertTrue(ok("lease", "list").out().contains(id), "lease list names the lease");
        assertTrue(ok("lease", "keep-alive", "--once", id).out().contains("lease " + id + " keepalived with TTL(60)"));
        assertEquals("lease " + id + " revoked\n", ok("lease", "revoke", id).out());
        assertEquals("", ok("get", "lease/k").out());
        assertEquals("lease " + id + " already expired\n", ok("lease", "timetolive", id).out());
    }

    @Test
    void aLeaseExpiresAndTakesItsKeys() throws Exception {
        String grant = ok("lease", "grant", "2").out();
        String id = grant.split(" ")[1];
        ok("put", "expire/k", "v", "--lease", id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!ok("get", "expire/k").out().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the lease's key is still there 15 s after a 2 s TTL");
            Thread.sleep(250);
        }
    }

    @Test
    void watchSeesHistoryFromARevisionInOrder() throws Exception {
        long first = number(ok("put", "watch/a", "1", "-w", "json").out(), "revision");
        ok("put", "watch/b", "2");
        ok("del", "watch/a");
        Path out = dir.resolve("watch-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "watch", "watch/", "--prefix", "--rev", Long.toString(first))
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            String expected = "PUT\nwatch/a\n1\nPUT\nwatch/b\n2\nDELETE\nwatch/a\n\n";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.readString(out).equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(expected, Files.readString(out));
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void endpointStatusHealthHashAndMembers() throws IOException {
        String status = ok("endpoint", "status", "-w", "json").out();
        assertTrue(status.contains("\"Endpoint\":\"" + server.endpoint() + "\""), status);
        long leader = number(status, "leader");
        assertEquals(leader, number(status, "member_id"), "a single member leads itself");
        assertTrue(number(status, "raftIndex") >= number(status, "raftAppliedIndex") - 0, status);
        assertTrue(ok("endpoint", "health").err().contains(server.endpoint() + " is healthy: successfully committed proposal"));
        assertTrue(ok("endpoint", "hashkv").out().startsWith(server.endpoint() + ", "));
        String members = ok("member", "list", "-w", "json").out();
        assertTrue(members.contains("\"name\":\"default\""), members);
        assertTrue(members.contains("\"clientURLs\":[\"http://" + server.endpoint() + "\"]"), members);
    }

    @Test
    void snapshotSaveAndDefrag() throws IOException {
        ok("put", "snap/k", "v");
        Path file = dir.resolve("snap-" + System.nanoTime() + ".db");
        TestServer.Run r = ok("snapshot", "save", file.toString());
        assertTrue(r.out().contains("Snapshot saved at " + file), r.out() + r.err());
        assertTrue(Files.size(file) > 0);
        assertTrue(ok("defrag").out().startsWith("Finished defragmenting etcd member[" + server.endpoint() + "]"));
    }

    @Test
    void alarmsMoveLeaderAndMemberErrors() throws IOException {
        assertEquals("", ok("alarm", "list").out());
        ok("alarm", "disarm");
        String id = Long.toHexString(number(ok("endpoint", "status", "-w", "json").out(), "member_id"));
        assertEquals("Leadership transferred from " + id + " to " + id + "\n", ok("move-leader", id).out());
        TestServer.Run bad = ctl("move-leader", "1234");
        assertEquals(1, bad.exit());
        assertEquals("Error: etcdserver: bad leader transferee", errorLine(bad));
        TestServer.Run noMember = ctl("member", "update", "1234", "--peer-urls=http://127.0.0.1:9");
        assertEquals(1, noMember.exit());
        assertEquals("Error: etcdserver: member not found", errorLine(noMember));
        assertEquals(0, ctl("get", "--rev=-1", "no-such-key").exit(), "a negative revision reads the latest");
    }

    @Test
    void lockRunsACommandWhileHoldingTheLock() throws IOException {
        TestServer.Run r = ok("lock", "it-lock", "echo", "locked");
        assertEquals("locked\n", r.out());
        assertEquals("", ok("get", "it-lock", "--prefix", "--keys-only").out(), "the lock key is gone after the command");
    }

    @Test
    void aSecondLockerWaitsForTheFirst() throws Exception {
        Path first = dir.resolve("lock1-" + System.nanoTime());
        Path second = dir.resolve("lock2-" + System.nanoTime());
        Path script = dir.resolve("hold-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\necho a-in\nsleep 3\necho a-out\n");
        script.toFile().setExecutable(true);
        Process a = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "lock", "it-mutex", script.toString())
                .redirectOutput(first.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitContent(first, "a-in\n");
            Process b = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "lock", "it-mutex", "echo", "b-in")
                    .redirectOutput(second.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(b.waitFor(30, TimeUnit.SECONDS), "the second locker never got the lock");
            assertEquals("a-in\na-out\n", Files.readString(first), "the second locker ran while the first held the lock");
            assertEquals("b-in\n", Files.readString(second));
        } finally {
            a.destroyForcibly();
        }
    }

    @Test
    void electionLeaderIsSeenByAnObserver() throws Exception {
        Path campaign = dir.resolve("elect-" + System.nanoTime());
        Path observe = dir.resolve("observe-" + System.nanoTime());
        Process c = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "elect", "it-election", "proposal-1")
                .redirectOutput(campaign.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process o = null;
        try {
            awaitLines(campaign, 2);
            List<String> won = Files.readAllLines(campaign);
            assertTrue(won.get(0).startsWith("it-election/"), won.toString());
            assertEquals("proposal-1", won.get(1));
            o = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "elect", "-l", "it-election")
                    .redirectOutput(observe.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            awaitLines(observe, 2);
            assertEquals(won.subList(0, 2), Files.readAllLines(observe).subList(0, 2));
        } finally {
            c.destroy();
            if (o != null) {
                o.destroyForcibly();
            }
        }
    }

    private static void awaitContent(Path file, String content) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(file).equals(content)) {
            assertTrue(System.nanoTime() < deadline, "waited for " + content + " in " + file + ", got " + Files.readString(file));
            Thread.sleep(50);
        }
    }

    private static void awaitLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.readAllLines(file).size() < n) {
            assertTrue(System.nanoTime() < deadline, "waited for " + n + " lines in " + file + ", got " + Files.readString(file));
            Thread.sleep(50);
        }
    }

    @Test
    void badInputGetsEtcdsErrorAndLosesNothing() throws IOException {
        ok("put", "bad/keep", "safe");
        TestServer.Run empty = ctl("put", "", "v");
        assertEquals(1, empty.exit());
        assertEquals("Error: etcdserver: key is not provided", errorLine(empty));
        TestServer.Run big = ctlIn("x".repeat(2 * 1024 * 1024), "put", "bad/big");
        assertNotEquals(0, big.exit());
        assertTrue(errorLine(big).contains("request is too large") || errorLine(big).contains("larger than max"), errorLine(big));
        TestServer.Run noLease = ctl("put", "bad/k", "v", "--lease", "1234abcd");
        assertEquals(1, noLease.exit());
        assertEquals("Error: etcdserver: requested lease not found", errorLine(noLease));
        TestServer.Run ignore = ctl("put", "bad/absent", "--ignore-value");
        assertEquals(1, ignore.exit());
        assertEquals("Error: etcdserver: key not found", errorLine(ignore));
        assertEquals("safe\n", ok("get", "bad/keep", "--print-value-only").out());
    }
}
