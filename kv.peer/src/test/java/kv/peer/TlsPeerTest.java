package kv.peer;

import static kv.peer.RecordingHandler.app;
import static kv.peer.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https peer URLs with client-certificate authentication, certificates made by openssl. */
class TlsPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kv-peer-test-ca",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        for (String who : List.of("m1", "m2")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + who, "-keyout", who + "-key1.pem", "-out", who + ".csr");
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                    "-days", "2", "-extfile", "san.ext", "-out", who + ".pem");
            openssl("pkcs8", "-topk8", "-nocrypt", "-in", who + "-key1.pem", "-out", who + "-key.pem");
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static PeerTls tls(String who) {
        return new PeerTls(Optional.of(dir.resolve(who + ".pem")), Optional.of(dir.resolve(who + "-key.pem")),
                Optional.of(dir.resolve("ca.pem")), true);
    }

    private static PeerTls caOnly() {
        return new PeerTls(Optional.empty(), Optional.empty(), Optional.of(dir.resolve("ca.pem")), false);
    }

    private static TestMember member(long id, PeerTls tls) {
        return new TestMember(id, new PeerConfig(id, TestMember.CLUSTER, tls, Duration.ofSeconds(2)), "https", 0, TestMember.NO_SNAPSHOTS);
    }

    @Test
    void membersWithCertificatesExchangeMessages() throws Exception {
        try (var a = member(1, tls("m1")); var b = member(2, tls("m2"))) {
            TestMember.connect(List.of(a, b));
            a.transport.send(List.of(app(1, 2, 1), app(1, 2, 2)));
            b.transport.send(List.of(app(2, 1, 5)));
            assertEquals(List.of(1L, 2L), b.handler.take(2, WAIT).stream().map(m -> m.getIndex()).toList());
            assertEquals(5, a.handler.take(1, WAIT).getFirst().getIndex());

            b.handler.view = new ClusterView(TestMember.CLUSTER, List.of());
            var config = PeerConfig.tlsOnly(tls("m1"), Duration.ofSeconds(2));
            assertEquals(TestMember.CLUSTER, PeerClient.fetchMembers(List.of(b.url), config, WAIT).clusterId());
        }
    }

    @Test
    void aMemberWithoutACertificateIsRefused() throws Exception {
        try (var b = member(2, tls("m2"));
             var a = new TestMember(1, new PeerConfig(1, TestMember.CLUSTER, caOnly(), Duration.ofSeconds(2)), "http", 0, TestMember.NO_SNAPSHOTS)) {
            a.transport.addPeer(2, List.of(b.url));
            long[] i = {0};
            await("unreachable reports", WAIT, () -> {
                a.transport.send(List.of(app(1, 2, ++i[0])));
                return a.handler.unreachable(2) >= 2;
            });
            assertTrue(b.handler.received.isEmpty(), "nothing delivered without a client certificate");
            var config = PeerConfig.tlsOnly(caOnly(), Duration.ofSeconds(2));
            IOException e = assertThrows(IOException.class, () -> PeerClient.fetchMembers(List.of(b.url), config, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains(b.url.toString()), e.getMessage());
        }
    }

    @Test
    void httpsNeedsACertificate() {
        var e = assertThrows(IllegalArgumentException.class, () -> member(1, caOnly()));
        assertTrue(e.getMessage().contains("no peer cert file"), e.getMessage());
    }
}
