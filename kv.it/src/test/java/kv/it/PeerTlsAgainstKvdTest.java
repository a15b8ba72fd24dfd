package kv.it;

import kv.testkit.TestServer;

class PeerTlsAgainstKvdTest extends PeerTlsContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.KVD;
    }
}
