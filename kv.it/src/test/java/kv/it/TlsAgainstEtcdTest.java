package kv.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import kv.testkit.TestServer;
import org.junit.jupiter.api.BeforeAll;

class TlsAgainstEtcdTest extends TlsContract {
    @BeforeAll
    static void etcdPresent() {
        assumeTrue(TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
    }

    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.ETCD;
    }
}
