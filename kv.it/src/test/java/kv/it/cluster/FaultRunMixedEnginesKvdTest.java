package kv.it.cluster;

import java.util.List;
import kv.testkit.TestServer.Kind;

/** The fault run on a kvd cluster whose members use different storage engines (no etcd twin: etcd has one). */
class FaultRunMixedEnginesKvdTest extends FaultRunContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }

    @Override
    List<String> backends(int size) {
        return List.of("jbolt", "rocksdb", "lmdb");
    }
}
