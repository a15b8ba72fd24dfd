package kv.it;

import kv.testkit.TestServer;

class AuthAgainstKvdTest extends AuthContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.KVD;
    }
}
