package kv.it;

import kv.testkit.TestServer;

class DisconnectAgainstEtcdTest extends DisconnectContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.ETCD;
    }
}
