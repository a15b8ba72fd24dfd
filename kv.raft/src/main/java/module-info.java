/**
 * Raft consensus as a pure state machine (no threads, clock, disk, network or randomness of its
 * own): {@link kv.raft.RawNode} is the entry point, {@link kv.raft.raftpb} holds the wire and log
 * types shared with the WAL.
 */
module kv.raft {
    requires transitive com.google.protobuf;

    exports kv.raft;
    exports kv.raft.raftpb;
}
