package kv.it;

import kv.testkit.TestServer;

class AuthAgainstEtcdTest extends AuthContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.ETCD;
    }
}
