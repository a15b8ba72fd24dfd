/** The multi-version store raft entries are applied to: revisions, key index, watch, leases. */
module kv.mvcc {
    requires transitive kv.api;
    requires transitive kv.backend;
}
