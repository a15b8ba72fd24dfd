/**
 * Peer transport: raft messages and snapshots between the members of a cluster, over gRPC.
 *
 * <p>{@link kv.peer.PeerTransport} sends, {@link kv.peer.PeerServer} receives,
 * {@link kv.peer.PeerClient} asks a member for the membership. The wire protocol
 * ({@code kv.peerpb}) and its implementation are internal.
 */
module kv.peer {
    requires transitive kv.raft;
    requires com.google.protobuf;
    requires com.google.common;
    requires io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires io.grpc.netty.shaded;

    exports kv.peer;
    // protobuf's reflection (toString, TextFormat) reads the generated messages
    opens kv.peer.internal.peerpb to com.google.protobuf;
}
