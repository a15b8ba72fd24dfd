package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on grpc-netty-shaded: an etcd serving https with a certificate from a CA made here by
 * openssl; kvctl must trust it with --cacert, accept it with --insecure-skip-tls-verify and refuse
 * it without either, exactly as etcdctl does.
 */
class TlsTest {
    @TempDir
    static Path dir;
    static Process etcd;
    static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(EtcdCluster.onPath("etcd").isPresent(), "etcd is not installed: skipping the TLS test");
        Assumptions.assumeTrue(EtcdCluster.onPath("openssl").isPresent(), "openssl is not installed: cannot make test certificates");
        Assumptions.assumeTrue(System.getProperty("kv.cli.endpoint", "").isEmpty(), "TLS is checked against etcd only");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kvctl-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2",
                "-extfile", "ext.cnf");
        int client = freePort();
        int peer = freePort();
        endpoint = "https://127.0.0.1:" + client;
        etcd = new ProcessBuilder("etcd", "--name", "tls", "--data-dir", dir.resolve("etcd").toString(), "--listen-client-urls", endpoint,
                "--advertise-client-urls", endpoint, "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer, "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                "--cert-file", dir.resolve("server.crt").toString(), "--key-file", dir.resolve("server.key").toString(), "--log-level", "error")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run("--cacert", ca(), "--command-timeout=1s", "put", "t", "1").status() != 0) {
            if (System.nanoTime() > deadline || !etcd.isAlive()) {
                throw new AssertionError("etcd with TLS did not start: " + Files.readString(dir.resolve("etcd.log")));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (etcd != null) {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
                etcd.destroyForcibly();
            }
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("openssl"), java.util.Arrays.stream(args)).toList())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args));
    }

    private static int freePort() throws IOException {
        return kv.testkit.Ports.free();
    }

    private static String ca() {
        return dir.resolve("ca.crt").toString();
    }

    private static EtcdCluster.Run run(String... args) {
        return EtcdCluster.kvctlRaw("", Map.of(), java.util.stream.Stream.concat(java.util.stream.Stream.of("--endpoints", endpoint),
                java.util.Arrays.stream(args)).toArray(String[]::new));
    }

    @Test
    void trustsTheGivenCaSkipsVerificationOnRequestAndRefusesOtherwise() {
        for (List<String> flags : List.of(List.of("--cacert", ca()), List.of("--insecure-skip-tls-verify", "--insecure-transport=false"),
                List.of("--insecure-skip-tls-verify"), List.<String>of())) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.concat(java.util.stream.Stream.of("--endpoints", endpoint,
                    "--command-timeout=2s"), flags.stream()), java.util.stream.Stream.of("get", "t")).toArray(String[]::new);
            EtcdCluster.Run e = EtcdCluster.etcdctlRaw("", args);
            EtcdCluster.Run k = EtcdCluster.kvctlRaw("", Map.of(), args);
            EtcdctlParityTest.assertSame(e, k, false);
        }
    }
}
