/**
 * The etcd v3 wire contract: protobuf messages and gRPC stubs, wire-identical to etcd 3.5.
 *
 * <p>The proto packages {@code etcdserverpb}, {@code mvccpb}, {@code authpb}, {@code v3lockpb} and
 * {@code v3electionpb} are generated into the Java packages {@code kv.api.<proto package>}.
 */
module kv.api {
    requires transitive com.google.protobuf;
    requires transitive io.grpc;
    requires transitive io.grpc.stub;
    requires transitive io.grpc.protobuf;
    requires com.google.common;

    exports kv.api;
    exports kv.api.etcdserverpb;
    exports kv.api.mvccpb;
    exports kv.api.authpb;
    exports kv.api.v3lockpb;
    exports kv.api.v3electionpb;
}
