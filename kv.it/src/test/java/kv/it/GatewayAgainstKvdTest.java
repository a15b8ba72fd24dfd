package kv.it;

import java.io.IOException;
import java.nio.file.Path;
import kv.testkit.TestServer;

class GatewayAgainstKvdTest extends GatewayContract {
    @Override
    TestServer startServer(Path dir) throws IOException {
        return TestServer.start(TestServer.Kind.KVD, dir, "--backend", System.getProperty("kv.it.backend", "jbolt"));
    }
}
