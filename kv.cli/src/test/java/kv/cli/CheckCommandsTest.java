package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check perf} and {@code check datascale} against a real etcd, beside etcdctl. The figures
 * differ from run to run, so the standard output is compared by shape: the verdict lines with
 * their numbers masked (etcdctl's progress bar, which it draws on standard output, removed).
 */
class CheckCommandsTest {
    private static final Pattern PERF_LINE = Pattern.compile(
            "PASS|FAIL|PASS: Throughput is \\d+ writes/s|FAIL: Throughput too low: \\d+ writes/s|(PASS: Slowest request took|Slowest request took too long:) "
                    + "(\\d+\\.\\d{6}|NaN)s|(PASS: Stddev is|Stddev too high:) (\\d+\\.\\d{6}|NaN)s|FAIL: too many errors|FAIL: ERROR\\(.*\\) -> \\d+|"
                    + "Compacting with revision \\d+|Compacted with revision \\d+|Defragmenting \".*\"|Defragmented \".*\"");

    @TempDir
    static Path dir;
    static EtcdCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EtcdCluster.start(dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        CheckCommands.Perf.durationOverride = null;
    }

    /** Standard output as lines, without etcdctl's carriage-return progress bar. */
    static List<String> verdictLines(String out) {
        return Arrays.stream(out.split("\n")).map(l -> l.substring(l.lastIndexOf('\r') + 1))
                .map(l -> l.replaceAll("(\\s*\\d+ / \\d+\\s+\\d+\\.\\d\\d%( \\d+m\\d+s| \\d+s)?)+", "")).filter(l -> !l.isBlank()).toList();
    }

    static String masked(List<String> lines) {
        return String.join("\n", lines.stream().map(l -> l.replaceAll("-?\\d+(\\.\\d+)?", "N")).toList());
    }

    @Test
    void perfPrintsEtcdctlsVerdictLinesAndExitsByThem() {
        CheckCommands.Perf.durationOverride = Duration.ofSeconds(4);
        EtcdCluster.Run r = cluster.kvctl("check", "perf", "--load=s", "--prefix", "/kvctl-perf/", "--auto-compact", "--auto-defrag");
        List<String> lines = verdictLines(r.text());
        assertTrue(lines.size() >= 8, r.toString());
        lines.forEach(l -> assertTrue(PERF_LINE.matcher(l).matches(), "unexpected line '" + l + "' in\n" + r));
        assertEquals(List.of("Compacting", "Compacted", "Defragmenting", "Defragmented"), lines.subList(0, 4).stream().map(l -> l.split(" ")[0]).toList());
        assertEquals("Defragmented \"" + cluster.endpoint() + "\"", lines.get(3));
        String verdict = lines.getLast();
        assertEquals(verdict.equals("PASS") ? 0 : 1, r.status(), r.toString());
        assertEquals(r.status() == 0, lines.stream().noneMatch(l -> l.startsWith("FAIL") || l.contains("too ")), r.toString());
        assertEquals("", r.err());
        assertEquals(0, cluster.kvctl("get", "--prefix", "/kvctl-perf/", "--count-only", "-w", "fields").status());
        assertTrue(cluster.kvctl("get", "--prefix", "/kvctl-perf/", "--count-only", "-w", "fields").text().contains("\"Count\" : 0"),
                "the check deletes its keys");
    }

    /** etcdctl's run lasts 60 s whatever the load: only in the long profile. */
    @Test
    @EnabledIfSystemProperty(named = "kv.long", matches = "true")
    void perfHasEtcdctlsShape() {
        CheckCommands.Perf.durationOverride = null;
        EtcdCluster.Run e = cluster.etcdctl("check", "perf", "--load=s");
        EtcdCluster.Run k = cluster.kvctl("check", "perf", "--load=s");
        assertEquals(e.status(), k.status(), e + "\n" + k);
        assertEquals(masked(verdictLines(e.text())), masked(verdictLines(k.text())));
    }

    @Test
    void datascaleHasEtcdctlsShape() {
        List<String> args = List.of("check", "datascale", "--load=s", "--auto-compact", "--auto-defrag");
        EtcdCluster.Run e = cluster.etcdctl(args.toArray(String[]::new));
        EtcdCluster.Run k = cluster.kvctl(args.toArray(String[]::new));
        assertEquals(0, e.status(), e.toString());
        assertEquals(e.status(), k.status(), k.toString());
        List<String> kl = verdictLines(k.text());
        assertEquals(masked(verdictLines(e.text())), masked(kl), "etcdctl:\n" + e + "\nkvctl:\n" + k);
        assertEquals("Start data scale check for work load [10000 key-value pairs, 1024 bytes per key-value, 50 concurrent clients].", kl.getFirst());
        assertTrue(kl.getLast().matches("PASS: Approximate system memory used : -?\\d+\\.\\d\\d MB\\."), kl.getLast());
    }

    @ParameterizedTest
    @ValueSource(strings = {"perf --load=q", "datascale --load=xxl", "perf --load=xLarge --prefix /busy/", "datascale --prefix /busy/"})
    void refusalsMatchEtcdctl(String command) {
        EtcdctlParityTest.ok(cluster.kvctl("put", "/busy/k", "v"));
        String[] args = ("check " + command).split(" ");
        EtcdCluster.Run e = cluster.etcdctl(args);
        EtcdCluster.Run k = cluster.kvctl(args);
        EtcdctlParityTest.assertSame(e, k, false);
        assertTrue(k.status() == 3 || k.status() == 4, k.toString());
    }
}
