package kv.it;

import java.io.IOException;
import java.nio.file.Path;
import kv.testkit.TestServer;

/** The etcdctl suite against a kvd process on its default engine. */
class EtcdctlAgainstKvdTest extends EtcdctlContract {
    @Override
    TestServer startServer(Path dir) throws IOException {
        return TestServer.start(TestServer.Kind.KVD, dir, "--backend", System.getProperty("kv.it.backend", "jbolt"));
    }
}
