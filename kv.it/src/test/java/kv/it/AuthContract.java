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
 * etcdctl's auth workflow (users, roles, key-range permissions, enable and disable) against a server
 * of its own: the same expectations against real etcd and against kvd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthContract {
    private TestServer server;

    abstract TestServer.Kind kind();

    /** Flags both servers get beyond the defaults (e.g. a JWT token provider). */
    List<String> authFlags(Path dir) throws IOException {
        return List.of();
    }

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        assumeTrue(kind() != TestServer.Kind.ETCD || TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        List<String> common = new ArrayList<>(List.of("--bcrypt-cost", "4"));
        common.addAll(authFlags(dir));
        server = TestServer.start(kind(), dir, "http", common,
                List.of("--backend", System.getProperty("kv.it.backend", "jbolt")));
        ok(null, "user", "add", "root:rootpw");
        ok(null, "user", "add", "alice:alicepw");
        ok(null, "role", "add", "app");
        ok(null, "role", "grant-permission", "app", "readwrite", "/app/", "--prefix");
        ok(null, "role", "grant-permission", "app", "read", "/shared");
        ok(null, "user", "grant-role", "alice", "app");
        assertEquals("Authentication Enabled\n", ok(null, "auth", "enable").out());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer.Run ctl(String user, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", server.endpoint()));
        if (user != null) {
            cmd.add("--user=" + user);
        }
        cmd.addAll(List.of(args));
        return TestServer.run(Map.of("ETCDCTL_API", "3"), cmd, null);
    }

    private TestServer.Run ok(String user, String... args) throws IOException {
        TestServer.Run r = ctl(user, args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r.err());
        return r;
    }

    private static String error(TestServer.Run r) {
        return r.err().lines().filter(l -> l.startsWith("Error:")).reduce((a, b) -> b).orElse(r.err());
    }

    @Test
    void withoutCredentialsTheUserNameIsEmpty() throws IOException {
        TestServer.Run r = ctl(null, "put", "/app/x", "1");
        assertNotEquals(0, r.exit());
        assertEquals("Error: etcdserver: user name is empty", error(r));
    }

    @Test
    void wrongPasswordFailsAuthentication() throws IOException {
        TestServer.Run r = ctl("alice:nope", "get", "/app/x");
        assertNotEquals(0, r.exit());
        assertEquals("Error: etcdserver: authentication failed, invalid user ID or password", error(r));
    }

    @Test
    void permissionsFollowTheGrantedRanges() throws IOException {
        assertEquals("OK\n", ok("alice:alicepw", "put", "/app/k", "v").out());
        assertEquals("/app/k\nv\n", ok("alice:alicepw", "get", "/app/k").out());
        TestServer.Run outside = ctl("alice:alicepw", "put", "/other/k", "v");
        assertEquals("Error: etcdserver: permission denied", error(outside));
        ok("root:rootpw", "put", "/shared", "s");
        assertEquals("s\n", ok("alice:alicepw", "get", "/shared", "--print-value-only").out());
        assertEquals("Error: etcdserver: permission denied", error(ctl("alice:alicepw", "put", "/shared", "x")));
    }

    @Test
    void jetcdAuthenticatesAndIsHeldToItsPermissions() throws Exception {
        try (io.etcd.jetcd.Client alice = io.etcd.jetcd.Client.builder().endpoints("http://" + server.endpoint())
                .user(JetcdContract.b("alice")).password(JetcdContract.b("alicepw")).build()) {
            alice.getKVClient().put(JetcdContract.b("/app/jetcd"), JetcdContract.b("v")).get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, alice.getKVClient().get(JetcdContract.b("/app/jetcd")).get(20, java.util.concurrent.TimeUnit.SECONDS).getCount());
            var denied = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> alice.getKVClient().put(JetcdContract.b("/other/jetcd"), JetcdContract.b("v")).get(20, java.util.concurrent.TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(denied.getCause().getMessage()).contains("permission denied"),
                    String.valueOf(denied.getCause()));
        }
    }

    @Test
    void onlyRootManagesAuth() throws IOException {
        assertEquals("Error: etcdserver: permission denied", error(ctl("alice:alicepw", "user", "list")));
        assertEquals("alice\nroot\n", ok("root:rootpw", "user", "list").out());
        String role = ok("root:rootpw", "role", "get", "app").out();
        assertEquals("Role app\nKV Read:\n\t[/app/, /app0) (prefix /app/)\n\t/shared\nKV Write:\n\t[/app/, /app0) (prefix /app/)\n", role);
    }
}
