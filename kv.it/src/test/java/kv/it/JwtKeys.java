package kv.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kv.testkit.TestServer;

/** An RS256 key pair made by openssl, and etcd's --auth-token flag that uses it. */
final class JwtKeys {
    private JwtKeys() {}

    static List<String> flags(Path dir) throws IOException {
        Path priv = dir.resolve("jwt.key");
        Path pub = dir.resolve("jwt.pub");
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", priv.toString());
        run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        return List.of("--auth-token", "jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=RS256,ttl=10m");
    }

    private static void run(String... cmd) throws IOException {
        TestServer.Run r = TestServer.run(Map.of(), List.of(cmd), null);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.err());
        }
    }
}
