package kv.it;

import kv.testkit.TestServer;

class TlsAgainstEtcdTest extends TlsContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.ETCD;
    }
}
