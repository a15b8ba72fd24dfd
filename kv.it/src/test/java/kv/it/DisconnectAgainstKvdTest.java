package kv.it;

import kv.testkit.TestServer;

class DisconnectAgainstKvdTest extends DisconnectContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.KVD;
    }
}
