package kv.it.cluster;

import kv.testkit.TestServer.Kind;

class MembershipAgainstKvdTest extends MembershipContract {
    @Override
    Kind kind() {
        return Kind.KVD;
    }
}
