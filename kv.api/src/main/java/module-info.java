/** The etcd v3 wire contract: protobuf messages and gRPC stubs, wire-identical to etcd 3.5. */
module kv.api {
    requires transitive com.google.protobuf;
    requires transitive io.grpc;
    requires transitive io.grpc.stub;
    requires transitive io.grpc.protobuf;
    requires com.google.common;

    exports kv.api;
}
