package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class FailoverAgainstEtcdTest extends ClusterFailoverContract {
    @Override
    Kind kind() {
        return etcdIfInstalled();
    }
}
