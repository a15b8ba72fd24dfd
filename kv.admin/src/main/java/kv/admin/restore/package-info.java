/**
 * Offline snapshot restore, etcd's {@code snapshot restore}: turns a snapshot file saved from a
 * member ({@code kvctl snapshot save}) into a new member's data directory, exactly what kvd reads on
 * restart: the engine record, the backend with the snapshot's content and the new member list, a
 * WAL that names the member and its cluster, and a raft snapshot at the restored index.
 * {@link kv.admin.restore.SnapshotRestore} does the work from a validated
 * {@link kv.admin.restore.RestoreSpec}; refusals and failures are
 * {@link kv.admin.restore.RestoreException}s with etcd's messages.
 */
package kv.admin.restore;
