package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scripted session against one cluster: every command runs under etcdctl (a process) and kvctl
 * (in-process) in every output format, and their stdout and exit status must be the same. Read-only
 * commands run on the same state and must match byte for byte (only the health probe's duration and
 * a lease's remaining TTL are normalised); mutating commands run alternately and must match once
 * revision numbers and ids are normalised.
 */
class EtcdctlParityTest {
    static final List<String> FORMATS = List.of("simple", "json", "fields", "protobuf", "table");

    @TempDir
    static Path dir;
    static EtcdCluster cluster;
    static String lease;
    static long seededRevision;

    @BeforeAll
    static void start() throws Exception {
        cluster = EtcdCluster.start(dir);
        ok(cluster.kvctl("put", "k1", "v1"));
        ok(cluster.kvctl("put", "k2", "v2"));
        ok(cluster.kvctl("put", "k3", "va l\"x <&>"));
        ok(cluster.kvctl("put", "uni", "héllo\tworld\u0001 ✓"));
        EtcdCluster.Run grant = ok(cluster.kvctl("lease", "grant", "600"));
        Matcher m = Pattern.compile("lease ([0-9a-f]{16}) granted").matcher(grant.text());
        assertTrue(m.find(), grant.toString());
        lease = m.group(1);
        ok(cluster.kvctl("put", "--lease=" + lease, "leased", "x"));
        ok(cluster.kvctl("user", "add", "alice:pw"));
        ok(cluster.kvctl("role", "add", "reader"));
        ok(cluster.kvctl("role", "grant-permission", "reader", "read", "--prefix", "/app/"));
        ok(cluster.kvctl("role", "grant-permission", "reader", "readwrite", "a", "z"));
        ok(cluster.kvctl("role", "grant-permission", "reader", "write", "--from-key", "m"));
        ok(cluster.kvctl("user", "grant-role", "alice", "reader"));
        EtcdCluster.Run json = ok(cluster.kvctl("-w", "json", "get", "k1"));
        Matcher rev = Pattern.compile("\"revision\":(\\d+)").matcher(json.text());
        assertTrue(rev.find());
        seededRevision = Long.parseLong(rev.group(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static EtcdCluster.Run ok(EtcdCluster.Run r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    static Stream<Arguments> readOnlyCommands() {
        List<List<String>> commands = List.of(
                List.of("get", "k1"), List.of("get", "--prefix", "k"), List.of("get", "--from-key", ""), List.of("get", "k1", "k3"),
                List.of("get", "--prefix", "k", "--limit=2"), List.of("get", "--prefix", "k", "--sort-by=VALUE", "--order=DESCEND"),
                List.of("get", "--prefix", "k", "--sort-by=create", "--order=ascend"), List.of("get", "--prefix", "k", "--keys-only"),
                List.of("get", "k2", "--print-value-only"), List.of("get", "--hex", "k3"), List.of("get", "uni"), List.of("get", "missing"),
                List.of("get", "k1", "--consistency=s"), List.of("get", "k1", "--rev=2"),
                List.of("member", "list"), List.of("endpoint", "status"), List.of("endpoint", "hashkv"), List.of("endpoint", "health"),
                List.of("alarm", "list"), List.of("lease", "list"), List.of("lease", "timetolive", "--keys", "LEASE"),
                List.of("lease", "timetolive", "LEASE"), List.of("user", "list"), List.of("user", "get", "alice"),
                List.of("user", "get", "--detail", "alice"), List.of("role", "list"), List.of("role", "get", "reader"));
        List<Arguments> cases = new ArrayList<>();
        for (List<String> c : commands) {
            for (String f : FORMATS) {
                cases.add(Arguments.of(String.join(" ", c), f, c));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -w {1}")
    @MethodSource("readOnlyCommands")
    void readOnlyCommandPrintsWhatEtcdctlPrints(String name, String format, List<String> command) {
        String[] args = Stream.concat(Stream.of("-w", format), command.stream().map(a -> a.equals("LEASE") ? lease : a)).toArray(String[]::new);
        EtcdCluster.Run etcdctl = cluster.etcdctl(args);
        Assumptions.assumeFalse(etcdctl.err().contains("panic:"), "etcdctl 3.4 crashes on this one (nil header): nothing to compare");
        EtcdCluster.Run kvctl = cluster.kvctl(args);
        assertSame(etcdctl, kvctl, false);
    }

    /** Same exit status, same stdout (normalised as asked), same error line. */
    static void assertSame(EtcdCluster.Run etcdctl, EtcdCluster.Run kvctl, boolean mutating) {
        String context = "\n--- etcdctl:\n" + etcdctl + "\n--- kvctl:\n" + kvctl;
        assertEquals(etcdctl.status(), kvctl.status(), "exit status" + context);
        if (mutating && isBinary(etcdctl.out())) {
            assertEquals(etcdctl.out().length > 0, kvctl.out().length > 0, "protobuf output presence" + context);
        } else {
            assertEquals(normalise(etcdctl.text(), mutating), normalise(kvctl.text(), mutating), "stdout" + context);
        }
        assertEquals(errorLine(etcdctl.err()), errorLine(kvctl.err()), "error line" + context);
        assertTrue(!kvctl.err().contains("Exception") && !kvctl.err().contains("\tat "), "no stack trace" + context);
    }

    static boolean isBinary(byte[] out) {
        for (byte b : out) {
            if (b < 0x09 || (b > 0x0d && b < 0x20)) {
                return true;
            }
        }
        return false;
    }

    /** The first "Error: ..." line (etcdctl repeats cobra's), or "" if none; the program's own name aside. */
    static String errorLine(String err) {
        return Arrays.stream(err.split("\n")).filter(l -> l.startsWith("Error:")).findFirst().orElse("")
                .replace("for \"etcdctl\"", "for \"kvctl\"");
    }

    /** Hides what legitimately differs between two runs: probe durations, remaining TTLs; for mutations, revisions and ids. */
    static String normalise(String s, boolean mutating) {
        String n = s.replaceAll("took = [^\\n]*", "took = T").replaceAll("\"took\":\"[^\"]*\"", "\"took\":\"T\"")
                .replaceAll("\"Took\" : [^\\n]*", "\"Took\" : T").replaceAll("\\| +[0-9.]+(ms|µs|s) \\|", "| T |")
                .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)").replaceAll("\"ttl\":\\d+", "\"ttl\":N")
                .replaceAll("\"TTL\" : \\d+", "\"TTL\" : N");
        if (n.contains(" TOOK ")) {
            // the health table's column widths follow the duration text
            n = n.replaceAll("-{2,}", "--").replaceAll(" {2,}", " ");
        }
        if (mutating) {
            n = n.replaceAll("\\b[0-9a-f]{10,16}\\b", "ID").replaceAll(" +ID", " ID").replaceAll("\\d+", "N").replaceAll("\"[A-Za-z0-9+/]+=*\"", "\"B64\"");
        }
        return n;
    }

    @Test
    void mutatingCommandsHaveEtcdctlsShape() {
        for (String f : List.of("simple", "json", "fields", "protobuf")) {
            for (EtcdCluster.Run[] pair : List.of(
                    both(f, "", "put", "m1", "v0"),
                    both(f, "", "put", "m1", "v1", "--prev-kv"),
                    both(f, "", "lease", "grant", "100"),
                    both(f, "mod(\"m1\") > \"0\"\nval(\"k1\") = \"v1\"\n\nput m2 x\nget --prefix k\ndel nothing\n\nput no no\n\n", "txn"),
                    both(f, "val(\"k1\") = \"nope\"\n\nput m2 x\n\nget k1\nget k2 --keys-only\n\n", "txn"),
                    both(f, "version(\"k1\") = \"1\"\ncreate(\"k1\") > \"0\"\n\n\n\n", "txn", "-i"),
                    both(f, "", "defrag"))) {
                assertSame(pair[0], pair[1], true);
            }
            String[] dels = {"del", "m1", "--prev-kv"};
            ok(cluster.kvctl("put", "m1", "x"));
            EtcdCluster.Run e = cluster.etcdctl(prepend(f, dels));
            ok(cluster.kvctl("put", "m1", "x"));
            assertSame(e, cluster.kvctl(prepend(f, dels)), true);
        }
    }

    @Test
    void leaseLifecycleMatches() {
        for (String f : List.of("simple", "json", "fields")) {
            String a = grant();
            String b = grant();
            assertSame(cluster.etcdctl("-w", f, "lease", "keep-alive", "--once", a), cluster.kvctl("-w", f, "lease", "keep-alive", "--once", b), true);
            assertSame(cluster.etcdctl("-w", f, "lease", "revoke", a), cluster.kvctl("-w", f, "lease", "revoke", b), true);
            assertSame(cluster.etcdctl("-w", f, "lease", "timetolive", a), cluster.kvctl("-w", f, "lease", "timetolive", b), true);
        }
        // etcdctl revokes, then fails to print: kvctl too
        assertSame(cluster.etcdctl("-w", "protobuf", "lease", "revoke", grant()), cluster.kvctl("-w", "protobuf", "lease", "revoke", grant()), true);
    }

    private static String grant() {
        Matcher m = Pattern.compile("lease ([0-9a-f]{16})").matcher(ok(cluster.kvctl("lease", "grant", "100")).text());
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void compactionAndSnapshotMatch() {
        EtcdCluster.Run e = cluster.etcdctl("compaction", Long.toString(seededRevision));
        EtcdCluster.Run k = cluster.kvctl("compaction", "--physical", Long.toString(seededRevision + 1));
        assertSame(e, k, true);
        assertSame(cluster.etcdctl("compaction", "1"), cluster.kvctl("compaction", "1"), false);
        Path ours = dir.resolve("kvctl.snap");
        EtcdCluster.Run snap = ok(cluster.kvctl("snapshot", "save", ours.toString()));
        assertEquals("Snapshot saved at " + ours + "\n", snap.text());
        assertTrue(ours.toFile().length() > 0);
    }

    @Test
    void watchPrintsWhatEtcdctlPrints() throws Exception {
        for (String f : List.of("simple", "json", "fields")) {
            ProcessBuilder pb = new ProcessBuilder("etcdctl", "--endpoints", cluster.endpoint(), "-w", f, "watch", "--prefix", "w", "--prev-kv");
            pb.environment().put("ETCDCTL_API", "3");
            Process etcdctl = pb.redirectErrorStream(true).start();
            java.io.ByteArrayOutputStream eout = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    etcdctl.getInputStream().transferTo(eout);
                } catch (java.io.IOException e) {
                    // destroyed
                }
            });
            java.io.ByteArrayOutputStream kout = new java.io.ByteArrayOutputStream();
            Thread kvctl = Thread.ofPlatform().start(() -> Main.run(new String[] {"--endpoints", cluster.endpoint(), "-w", f, "watch", "--prefix", "w", "--prev-kv"},
                    java.io.InputStream.nullInputStream(), new java.io.PrintStream(kout, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), Map.of()));
            Thread.sleep(1500); // both watchers established
            ok(cluster.kvctl("put", "w1", "a"));
            ok(cluster.kvctl("put", "w1", "b"));
            ok(cluster.kvctl("del", "w1"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (kout.toString(StandardCharsets.UTF_8).split("\n").length < expectedLines(f) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            kvctl.interrupt();
            kvctl.join(5000);
            etcdctl.destroy();
            etcdctl.waitFor();
            reader.join(5000);
            String expected = eout.toString(StandardCharsets.UTF_8);
            assertEquals(normalise(expected, true), normalise(kout.toString(StandardCharsets.UTF_8), true), "watch -w " + f);
        }
    }

    private static int expectedLines(String format) {
        return switch (format) {
            case "json" -> 3;
            case "fields" -> 3 * 4 + 6 + 12 + 12 + 3;
            default -> 3 + 2 + 4 + 4;
        };
    }

    private static EtcdCluster.Run[] both(String format, String stdin, String... command) {
        String[] args = prepend(format, command);
        EtcdCluster.Run e = cluster.etcdctlWith(stdin, args);
        EtcdCluster.Run k = cluster.kvctlWith(stdin, Map.of(), args);
        return new EtcdCluster.Run[] {e, k};
    }

    private static String[] prepend(String format, String... command) {
        return Stream.concat(Stream.of("-w", format), Arrays.stream(command)).toArray(String[]::new);
    }
}
