/**
 * The multi-version store raft entries are applied to: revisions, key index, ranges, txns,
 * compaction, hashes, watchers ({@code kv.mvcc}) and leases ({@code kv.mvcc.lease}), over a
 * {@code kv.backend} engine, speaking etcd's {@code kv.api} request types.
 */
module kv.mvcc {
    requires transitive kv.api;
    requires transitive kv.backend;

    exports kv.mvcc;
    exports kv.mvcc.lease;
}
