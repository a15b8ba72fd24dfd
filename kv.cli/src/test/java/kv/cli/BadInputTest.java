package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: unknown flags and commands, wrong arguments, malformed txn input, unreachable endpoints.
 * kvctl must fail as etcdctl does (same exit status, same "Error: ..." line) with exactly one error
 * line and no stack trace.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static EtcdCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EtcdCluster.start(dir);
        EtcdctlParityTest.ok(cluster.kvctl("put", "foo", "bar"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<Arguments> badCommands() {
        return Stream.of(
                List.of("get", "foo", "--bogus"), List.of("get", "foo", "-Z"), List.of("bogus"), List.of("get"), List.of("put"),
                List.of("get", "foo", "--limit=x"), List.of("get", "foo", "--rev"), List.of("--dial-timeout=abc", "get", "foo"),
                List.of("-w", "xml", "get", "foo"), List.of("get", "foo", "-w", "table"), List.of("get", "foo", "--order=BAD"),
                List.of("get", "foo", "--sort-by=BAD"), List.of("get", "foo", "--consistency=x"), List.of("get", "a", "b", "--prefix"),
                List.of("get", "foo", "--prefix", "--from-key"), List.of("get", "foo", "-w", "json", "--print-value-only"),
                List.of("del"), List.of("put", "foo", "--lease=zz"), List.of("compaction"), List.of("compaction", "x"),
                List.of("lease", "grant"), List.of("lease", "grant", "x"), List.of("lease", "revoke", "zz"), List.of("lease", "revoke", "1234"),
                List.of("lease", "timetolive", "1234"), List.of("lease", "keep-alive", "--once", "1234"), List.of("watch"),
                List.of("member", "remove"), List.of("member", "remove", "zz"), List.of("member", "remove", "1234"), List.of("member", "add"),
                List.of("member", "add", "x"), List.of("member", "add", "x", "http://a"), List.of("member", "promote", "1234"),
                List.of("move-leader"), List.of("move-leader", "zz"), List.of("snapshot", "save"), List.of("alarm", "list", "x"),
                List.of("user", "add"), List.of("user", "get", "nobody"), List.of("role", "get", "nobody"),
                List.of("role", "grant-permission", "r", "bad", "k"), List.of("lock"), List.of("elect"), List.of("elect", "x"),
                List.of("elect", "-l", "x", "y"), List.of("txn", "x"), List.of("auth", "enable", "x"), List.of("--cert=", "get", "foo"))
                .map(c -> Arguments.of(String.join(" ", c), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommands")
    void failsAsEtcdctlDoes(String name, List<String> command) {
        String[] args = command.toArray(String[]::new);
        assertFailsAlike(cluster.etcdctl(args), cluster.kvctl(args));
    }

    static Stream<Arguments> badTxns() {
        return Stream.of("bad\n", "c(\"foo\") = \"1\"\n", "\nput foo\n\n", "\nbogus foo\n\n", "\nput\n\n", "mod(foo) > \"0\"\n\n\n\n",
                "version(\"foo\") > \"x\"\n\n\n\n", "nope(\"foo\") = \"1\"\n\n\n\n", "").map(Arguments::of);
    }

    @ParameterizedTest(name = "txn <<< {0}")
    @MethodSource("badTxns")
    void malformedTxnFailsAsEtcdctlDoes(String stdin) {
        assertFailsAlike(cluster.etcdctlWith(stdin, "txn"), cluster.kvctlWith(stdin, Map.of(), "txn"));
    }

    // lease list and timetolive have no deadline in etcdctl 3.4 (they wait forever): not compared
    @Test
    void unreachableEndpointFailsAsEtcdctlDoes() throws IOException {
        String closed = "127.0.0.1:" + closedPort();
        for (List<String> c : List.of(List.of("get", "foo"), List.of("put", "a", "b"), List.of("member", "list"), List.of("endpoint", "status"),
                List.of("endpoint", "health"), List.of("-w", "json", "endpoint", "health"))) {
            String[] args = Stream.concat(Stream.of("--endpoints", closed, "--command-timeout=1s"), c.stream()).toArray(String[]::new);
            EtcdCluster.Run e = EtcdCluster.etcdctlRaw("", args);
            EtcdCluster.Run k = EtcdCluster.kvctlRaw("", Map.of(), args);
            assertEquals(e.status(), k.status(), c + "\n" + e + "\n" + k);
            assertEquals(EtcdctlParityTest.errorLine(e.err()), EtcdctlParityTest.errorLine(k.err()), c + "\n" + e + "\n" + k);
            assertEquals(EtcdctlParityTest.normalise(e.text(), false), EtcdctlParityTest.normalise(k.text(), false), c.toString());
        }
    }

    @Test
    void secondEndpointServesWhenTheFirstIsDown() throws IOException {
        String both = "127.0.0.1:" + closedPort() + "," + cluster.endpoint();
        EtcdCluster.Run k = EtcdCluster.kvctlRaw("", Map.of(), "--endpoints", both, "get", "foo");
        assertEquals("foo\nbar\n", k.text(), k.toString());
    }

    @Test
    void environmentGivesTheGlobalFlags() {
        EtcdCluster.Run k = EtcdCluster.kvctlRaw("", Map.of("ETCDCTL_ENDPOINTS", cluster.endpoint(), "ETCDCTL_WRITE_OUT", "fields"), "get", "foo");
        EtcdCluster.Run e = cluster.etcdctl("-w", "fields", "get", "foo");
        assertEquals(e.text(), k.text());
        EtcdCluster.Run flagWins = EtcdCluster.kvctlRaw("", Map.of("ETCDCTL_ENDPOINTS", cluster.endpoint(), "ETCDCTL_WRITE_OUT", "fields"),
                "-w", "simple", "get", "foo");
        assertEquals("foo\nbar\n", flagWins.text());
    }

    private static int closedPort() throws IOException {
        return kv.testkit.Ports.free();
    }

    static void assertFailsAlike(EtcdCluster.Run etcdctl, EtcdCluster.Run kvctl) {
        String context = "\n--- etcdctl:\n" + etcdctl + "\n--- kvctl:\n" + kvctl;
        assertEquals(etcdctl.status(), kvctl.status(), "exit status" + context);
        assertEquals(EtcdctlParityTest.errorLine(etcdctl.err()), EtcdctlParityTest.errorLine(kvctl.err()), "error line" + context);
        long errorLines = Arrays.stream(kvctl.err().split("\n")).filter(l -> l.startsWith("Error:")).count();
        assertEquals(etcdctl.status() == 0 ? 0 : 1, errorLines, "one error line" + context);
        assertFalse(kvctl.err().contains("Exception") || kvctl.err().contains("\tat "), "no stack trace" + context);
    }
}
