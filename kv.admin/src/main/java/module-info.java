/**
 * Offline administration of a stopped member's data directory: its layout, engine migration, inspection,
 * snapshot restore (which writes a new member's WAL and raft snapshot through kv.wal), and the cluster
 * records kvd and the offline tools share.
 */
module kv.admin {
    requires transitive kv.backend;
    requires transitive com.google.protobuf;
    requires kv.wal;

    exports kv.admin;
    exports kv.admin.cluster;
    exports kv.admin.clusterpb;
    exports kv.admin.restore;
}
