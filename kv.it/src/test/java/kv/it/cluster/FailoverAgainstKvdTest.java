package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class FailoverAgainstKvdTest extends ClusterFailoverContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }
}
