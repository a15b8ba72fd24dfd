package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class MembershipAgainstEtcdTest extends MembershipContract {
    @Override
    Kind kind() {
        return etcdIfInstalled();
    }
}
