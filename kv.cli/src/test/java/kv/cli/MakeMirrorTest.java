package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make-mirror} between two real etcd processes, beside etcdctl's: both mirror the same source
 * prefix into the same destination under different destination prefixes, through an initial sync
 * and then live puts, deletes and a multi-key transaction; the two mirrors must hold the same keys
 * and values.
 */
class MakeMirrorTest {
    @TempDir
    static Path dir;
    static EtcdCluster source;
    static EtcdCluster dest;

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("source"));
        java.nio.file.Files.createDirectories(dir.resolve("dest"));
        source = EtcdCluster.start(dir.resolve("source"));
        dest = EtcdCluster.start(dir.resolve("dest"));
        // attached to one given endpoint (kv.cli.endpoint) there is no second cluster to mirror into
        org.junit.jupiter.api.Assumptions.assumeFalse(source.endpoint().equals(dest.endpoint()), "make-mirror needs two clusters");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (dest != null) {
            dest.close();
        }
        MakeMirrorCommand.reportInterval = Duration.ofSeconds(30);
    }

    @Test
    void mirrorsLikeEtcdctl() throws Exception {
        MakeMirrorCommand.reportInterval = Duration.ofMillis(500);
        for (int i = 0; i < 1500; i += 100) {
            // more than one page of the initial sync (1,000 keys)
            StringBuilder txn = new StringBuilder("\n");
            for (int j = i; j < i + 100; j++) {
                txn.append("put /app/base").append(j).append(" v").append(j).append('\n');
            }
            EtcdctlParityTest.ok(source.kvctlWith(txn + "\n\n", Map.of(), "txn"));
        }
        EtcdctlParityTest.ok(source.kvctl("put", "/other", "not mirrored"));

        ProcessBuilder pb = new ProcessBuilder("etcdctl", "--endpoints", source.endpoint(), "make-mirror", "--prefix", "/app/",
                "--dest-prefix", "/e/", dest.endpoint());
        pb.environment().put("ETCDCTL_API", "3");
        Process etcdctl = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] status = {-1};
        Thread kvctl = Thread.ofPlatform().start(() -> status[0] = Main.run(new String[] {"--endpoints", source.endpoint(), "make-mirror",
                "--prefix", "/app/", "--dest-prefix", "/k/", dest.endpoint()}, java.io.InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(java.io.OutputStream.nullOutputStream()), Map.of()));
        try {
            awaitCount("/k/", 1500);
            awaitCount("/e/", 1500);
            EtcdctlParityTest.ok(source.kvctl("put", "/app/live", "1"));
            EtcdctlParityTest.ok(source.kvctl("put", "/app/live", "2"));
            EtcdctlParityTest.ok(source.kvctl("del", "/app/base7"));
            EtcdctlParityTest.ok(source.kvctlWith("\nput /app/t1 a\nput /app/t2 b\ndel /app/base8\n\n\n", Map.of(), "txn"));
            EtcdctlParityTest.ok(source.kvctl("put", "/app/last", "end"));
            awaitKey("/k/last");
            awaitKey("/e/last");
            Thread.sleep(700);
            assertEquals(keysAndValues("/e/"), keysAndValues("/k/"));
            assertEquals("2", dest.kvctl("get", "--print-value-only", "/k/live").text().strip());
            assertEquals("", dest.kvctl("get", "/k/base7").text());
            assertEquals("", dest.kvctl("get", "/k/base8").text(), "deleted in the transaction");
            assertEquals("b", dest.kvctl("get", "--print-value-only", "/k/t2").text().strip(), "put in the transaction");
            assertEquals("", dest.kvctl("get", "--prefix", "/other").text(), "outside the prefix");
            List<String> counts = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertTrue(!counts.isEmpty() && counts.stream().allMatch(l -> l.matches("\\d+")), counts.toString());
            assertEquals(1500 + 6 + 1, Long.parseLong(counts.getLast()), "keys synced: base, then one per event");
        } finally {
            etcdctl.destroy();
            etcdctl.waitFor(5, TimeUnit.SECONDS);
            kvctl.interrupt();
            kvctl.join(5000);
        }
        assertEquals(ExitCode.INTERRUPTED.status(), status[0], "stopped by an interrupt, as by a signal");
    }

    private static String keysAndValues(String prefix) {
        return dest.kvctl("get", "--prefix", prefix).text().replace(prefix, "/");
    }

    private static void awaitCount(String prefix, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String t = dest.kvctl("get", "--prefix", prefix, "--count-only", "-w", "fields").text();
            if (t.contains("\"Count\" : " + n + "\n")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(prefix + " did not reach " + n + " keys");
    }

    private static void awaitKey(String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!dest.kvctl("get", key).text().isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " never arrived");
    }

    @Test
    void refusalsMatchEtcdctl() {
        for (String[] args : List.of(new String[] {"make-mirror"}, new String[] {"make-mirror", "a:1", "b:2"},
                new String[] {"make-mirror", "--dest-prefix", "x", "--no-dest-prefix", dest.endpoint()})) {
            EtcdctlParityTest.assertSame(source.etcdctl(args), source.kvctl(args), false);
        }
    }

    @Test
    void rewritesTheFirstOccurrenceOfThePrefix() {
        com.google.protobuf.ByteString s = com.google.protobuf.ByteString.copyFromUtf8("x/ab/ab");
        assertEquals(2, MakeMirrorCommand.indexOf(s, com.google.protobuf.ByteString.copyFromUtf8("ab")));
        assertEquals(0, MakeMirrorCommand.indexOf(s, com.google.protobuf.ByteString.EMPTY));
        assertEquals(-1, MakeMirrorCommand.indexOf(s, com.google.protobuf.ByteString.copyFromUtf8("zz")));
    }
}
