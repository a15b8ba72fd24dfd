/** Segmented, checksummed write-ahead log of raft entries and hard states, and raft snapshot files. */
module kv.wal {
    requires transitive kv.raft;

    exports kv.wal;
}
