package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class PartitionAgainstEtcdTest extends PartitionContract {
    @Override
    Kind kind() {
        return etcdIfInstalled();
    }
}
