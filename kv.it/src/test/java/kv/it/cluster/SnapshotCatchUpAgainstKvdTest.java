package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class SnapshotCatchUpAgainstKvdTest extends SnapshotCatchUpContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }
}
