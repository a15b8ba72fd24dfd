package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class FaultRunAgainstKvdTest extends FaultRunContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }
}
