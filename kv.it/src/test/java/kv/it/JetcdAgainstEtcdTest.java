package kv.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import kv.testkit.TestServer;

class JetcdAgainstEtcdTest extends JetcdContract {
    @Override
    TestServer startServer(Path dir) throws IOException {
        assumeTrue(TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        return TestServer.start(TestServer.Kind.ETCD, dir);
    }
}
