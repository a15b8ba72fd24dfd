package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class PartitionAgainstKvdTest extends PartitionContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }
}
