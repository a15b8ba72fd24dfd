package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class SnapshotCatchUpAgainstEtcdTest extends SnapshotCatchUpContract {
    @Override
    Kind kind() {
        return etcdIfInstalled();
    }
}
