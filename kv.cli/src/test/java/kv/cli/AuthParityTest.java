package kv.cli;

import static kv.cli.EtcdctlParityTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With authentication enabled (on a cluster of its own): credentials as flags, wrong credentials, permissions. */
class AuthParityTest {
    @TempDir
    static Path dir;
    static EtcdCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EtcdCluster.start(dir);
        ok(cluster.kvctl("put", "/app/x", "1"));
        ok(cluster.kvctl("put", "secret", "2"));
        ok(cluster.kvctl("user", "add", "root:rootpw"));
        ok(cluster.kvctl("user", "grant-role", "root", "root"));
        ok(cluster.kvctl("user", "add", "alice", "--new-user-password=alicepw"));
        ok(cluster.kvctl("role", "add", "reader"));
        ok(cluster.kvctl("role", "grant-permission", "reader", "read", "--prefix", "/app/"));
        ok(cluster.kvctl("user", "grant-role", "alice", "reader"));
        EtcdCluster.Run enabled = ok(cluster.kvctl("auth", "enable"));
        assertEquals("Authentication Enabled\n", enabled.text());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void credentialsAndPermissionsBehaveAsInEtcdctl() {
        for (List<String> c : List.of(
                List.of("--user", "root:rootpw", "get", "secret"), List.of("--user", "root", "--password", "rootpw", "get", "secret"),
                List.of("--user", "root:wrong", "get", "secret"), List.of("--user", "nobody:x", "get", "secret"),
                List.of("--user", "alice:alicepw", "get", "--prefix", "/app/"), List.of("--user", "alice:alicepw", "get", "secret"),
                List.of("--user", "alice:alicepw", "put", "/app/x", "2"), List.of("--user", "alice:alicepw", "-w", "json", "user", "list"),
                List.of("get", "secret"), List.of("--user", "root:rootpw", "endpoint", "health"))) {
            String[] args = c.toArray(String[]::new);
            EtcdctlParityTest.assertSame(cluster.etcdctl(args), cluster.kvctl(args), false);
        }
    }

    @Test
    void disableNeedsRoot() {
        EtcdctlParityTest.assertSame(cluster.etcdctl("--user", "alice:alicepw", "auth", "disable"),
                cluster.kvctl("--user", "alice:alicepw", "auth", "disable"), false);
    }
}
