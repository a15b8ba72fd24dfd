package kv.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {
    private static ServerConfig parse(String... args) {
        return ServerConfig.from(Flags.parse(List.of(args), Map.of()));
    }

    @Test
    void noFlagsServeOneMemberOnLoopbackWithJboltInDefaultKv() {
        ServerConfig c = parse();
        assertEquals("default", c.name());
        assertEquals(Path.of("default.kv"), c.dataDir());
        assertEquals(List.of(URI.create("http://127.0.0.1:2379")), c.listenClientUrls());
        assertEquals(Map.of("default", List.of(URI.create("http://127.0.0.1:2380"))), c.initialCluster());
        assertEquals("jbolt", c.backend());
        assertEquals(ServerConfig.DEFAULT_QUOTA, c.effectiveQuota());
        assertEquals(Path.of("default.kv/member/wal"), c.effectiveWalDir());
        assertEquals(128, c.maxTxnOps());
        assertEquals(1572864, c.maxRequest().bytes());
    }

    @Test
    void goStyleFlagsAllParse() {
        ServerConfig c = parse("-name", "n1", "--data-dir=/tmp/x", "--heartbeat-interval", "50", "--election-timeout=500",
                "--initial-cluster", "n1=http://127.0.0.1:2380,n2=http://127.0.0.1:2381", "--pre-vote=false", "--force-new-cluster");
        assertEquals("n1", c.name());
        assertEquals(Duration.ofMillis(50), c.heartbeatInterval());
        assertEquals(2, c.initialCluster().size());
        assertEquals(false, c.preVote());
        assertEquals(true, c.forceNewCluster());
    }

    @Test
    void environmentFillsWhatTheCommandLineLeaves() {
        ServerConfig c = ServerConfig.from(Flags.parse(List.of("--name", "cli"), Map.of("ETCD_NAME", "env", "ETCD_SNAPSHOT_COUNT", "42")));
        assertEquals("cli", c.name());
        assertEquals(42, c.snapshotCount());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|flag provided but not defined: -bogus",
        "--name|flag needs an argument: -name",
        "--snapshot-count=abc|invalid value \"abc\" for flag -snapshot-count: parse error",
        "--listen-client-urls=127.0.0.1:2379|invalid value \"127.0.0.1:2379\" for flag -listen-client-urls",
        "--listen-client-urls=http://127.0.0.1|URL address does not have the form \"host:port\"",
        "--election-timeout=100|should be at least as 5 times as --heartbeat-interval",
        "--initial-cluster-state=old|must be \"new\" or \"existing\"",
        "--auto-compaction-mode=weekly|unknown auto-compaction-mode \"weekly\"",
        "--cert-file=/x.pem|needs both a cert file and a key file",
    })
    void badFlagsAreRejectedWithEtcdsWording(String arg, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(arg));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void autoCompactionModes() {
        assertInstanceOf(AutoCompaction.Off.class, parse().autoCompaction());
        assertEquals(new AutoCompaction.Periodic(Duration.ofHours(1)), parse("--auto-compaction-retention=1").autoCompaction());
        assertEquals(new AutoCompaction.Periodic(Duration.ofMinutes(30)), parse("--auto-compaction-retention=30m").autoCompaction());
        assertEquals(new AutoCompaction.Revision(1000), parse("--auto-compaction-mode=revision", "--auto-compaction-retention=1000").autoCompaction());
    }

    @Test
    void configFileWinsAndAcceptsEtcdsNestedTlsSections(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("kv.yaml");
        Files.writeString(f, """
                name: from-file
                data-dir: /var/lib/kv
                snapshot-count: 5000
                listen-client-urls: http://127.0.0.1:3379
                advertise-client-urls: http://127.0.0.1:3379
                client-transport-security:
                  cert-file: /c.pem
                  key-file: /k.pem
                  auto-tls: false
                """);
        ServerConfig c = parse("--name", "ignored", "--config-file", f.toString());
        assertEquals("from-file", c.name());
        assertEquals(5000, c.snapshotCount());
        assertEquals(Path.of("/c.pem"), c.clientTls().certFile().orElseThrow());
    }

    @Test
    void configFileTyposAreErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("kv.yaml");
        Files.writeString(f, "nmae: x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> parse("--config-file", f.toString()));
        assertTrue(e.getMessage().contains("unknown configuration key \"nmae\""), e.getMessage());
    }

    @Test
    void goDurations() {
        assertEquals(Duration.ofMillis(1500), Durations.parse("x", "1.5s"));
        assertEquals(Duration.ofMinutes(165), Durations.parse("x", "2h45m"));
        assertEquals(Duration.ofNanos(300), Durations.parse("x", "300ns"));
        assertThrows(ConfigException.class, () -> Durations.parse("x", "5 minutes"));
    }
}
