package kv.it;

import kv.testkit.TestServer;

class TlsAgainstKvdTest extends TlsContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.KVD;
    }
}
