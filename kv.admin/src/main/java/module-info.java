/** Offline administration of a stopped member's data directory: its layout, engine migration, inspection, and the cluster records kvd and the offline tools share. */
module kv.admin {
    requires transitive kv.backend;
    requires transitive com.google.protobuf;

    exports kv.admin;
    exports kv.admin.cluster;
    exports kv.admin.clusterpb;
}
