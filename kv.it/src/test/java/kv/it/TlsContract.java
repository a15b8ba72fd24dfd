package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with client-certificate authentication on the client URL, with certificates made by openssl
 * for the test: etcdctl with the right certificates works, without a client certificate it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsContract {
    private Path dir;
    private TestServer server;

    abstract TestServer.Kind kind();

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        assumeTrue(kind() != TestServer.Kind.ETCD || TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        dir = tmp;
        makeCertificates(dir);
        List<String> tls = List.of("--cert-file", dir.resolve("server.pem").toString(), "--key-file", dir.resolve("server-key.pem").toString(),
                "--trusted-ca-file", dir.resolve("ca.pem").toString(), "--client-cert-auth");
        server = TestServer.start(kind(), dir, "https", tls, List.of("--backend", System.getProperty("kv.it.backend", "jbolt")));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer.Run ctl(boolean clientCert, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", "https://" + server.endpoint(), "--cacert", dir.resolve("ca.pem").toString()));
        if (clientCert) {
            cmd.addAll(List.of("--cert", dir.resolve("client.pem").toString(), "--key", dir.resolve("client-key.pem").toString()));
        }
        cmd.addAll(List.of(args));
        return TestServer.run(Map.of("ETCDCTL_API", "3"), cmd, null);
    }

    @Test
    void aClientWithACertificateIsServed() throws IOException {
        assertEquals("OK\n", ctl(true, "put", "tls/k", "v").out());
        assertEquals("tls/k\nv\n", ctl(true, "get", "tls/k").out());
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws IOException {
        TestServer.Run r = ctl(false, "--dial-timeout=2s", "--command-timeout=3s", "get", "tls/k");
        assertNotEquals(0, r.exit(), r.out());
    }

    static void makeCertificates(Path dir) throws IOException {
        String ext = dir.resolve("san.ext").toString();
        java.nio.file.Files.writeString(Path.of(ext), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kv-test-ca",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        for (String who : List.of("server", "client")) {
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + who, "-keyout", who + "-key1.pem", "-out", who + ".csr");
            run(dir, "openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                    "-days", "2", "-extfile", ext, "-out", who + ".pem");
            // PKCS#8 keys: what Netty and Go both read
            run(dir, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", who + "-key1.pem", "-out", who + "-key.pem");
        }
    }

    private static void run(Path dir, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("sh", "-c", "cd '" + dir + "' && \"$@\"", "sh"));
        full.addAll(List.of(cmd));
        TestServer.Run r = TestServer.run(Map.of(), full, null);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.err());
        }
    }
}
