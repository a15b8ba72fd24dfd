/** Raft consensus as a pure state machine (no threads, clock, disk, network or randomness of its own). */
module kv.raft {
    requires transitive com.google.protobuf;

    exports kv.raft.raftpb;
}
