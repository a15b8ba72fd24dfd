package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class FaultRunAgainstEtcdTest extends FaultRunContract {
    @Override
    Kind kind() {
        return etcdIfInstalled();
    }
}
