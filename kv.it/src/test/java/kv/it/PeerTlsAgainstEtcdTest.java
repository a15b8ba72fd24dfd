package kv.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import kv.testkit.TestServer;

class PeerTlsAgainstEtcdTest extends PeerTlsContract {
    @Override
    TestServer.Kind kind() {
        assumeTrue(TestServer.etcdInstalled(), "Debian's etcd-server is not installed (bin/test-deps installs it)");
        return TestServer.Kind.ETCD;
    }
}
