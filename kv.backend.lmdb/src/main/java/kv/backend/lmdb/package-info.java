/**
 * The {@code lmdb} storage engine: kv's {@link kv.backend.Backend} over LMDB through lmdbjava.
 * Nothing here is exported; the module provides {@link kv.backend.lmdb.LmdbProvider}. lmdbjava
 * needs {@code --add-opens java.base/java.nio} and {@code java.base/sun.nio.ch} to it (the
 * {@code kv.test.jvm.args} of the parent POM, and the launcher's flags), and the LMDB library from
 * the {@code org.lmdbjava:native} jar on the class path.
 *
 * <h2>Buckets</h2>
 * One LMDB named database per bucket ({@code kv.bucket.NAME}) and a registry database
 * ({@code kv.registry}) naming the buckets that exist. The registry is written in the same LMDB
 * transaction as the data, so creating and deleting buckets commits or aborts with it, and a
 * reader lists the buckets of its own snapshot. Deleting a bucket empties its database but keeps
 * it (and its handle) for a later re-creation: LMDB database handles are environment-wide, and
 * closing one that an older reader may still use is not allowed. Keys are ordered by LMDB's
 * default comparison, {@code memcmp} with the shorter key first on a common prefix, which is
 * {@link kv.backend.Bytes#ORDER}; no Java comparator is installed.
 *
 * <h2>Long keys</h2>
 * LMDB keys are at most 511 bytes in the bundled build, the SPI allows 32 KiB. Keys of 511 bytes
 * or more are folded into one LMDB entry per 511-byte prefix (see {@code Group}), which keeps the
 * key order; short keys, kv's usual case, are stored as they are.
 *
 * <h2>Transactions and threads</h2>
 * A read transaction is an LMDB read-only transaction. Environments are opened with
 * {@code MDB_NOTLS}, so a read transaction is not tied to the thread that began it and may move
 * between threads (one at a time), including virtual threads. The write transaction keeps its
 * changes in memory over a read-only snapshot of the committed state (reads and cursors merge
 * them) and replays them into one LMDB write transaction in {@code commit}, which runs on one
 * platform thread from begin to end, as LMDB's writer lock requires. One write transaction at a
 * time (a semaphore); readers and the writer never wait for each other.
 *
 * <h2>The map grows</h2>
 * The environment starts with {@code lmdb.map-size} (1 GiB). When a commit hits
 * {@code MDB_MAP_FULL}, it is aborted, the map is doubled while no other call is inside LMDB (an
 * exclusive hold of the guard every call takes shared), and the changes, which are the redo log,
 * are replayed: no caller sees a full map. Growing moves the map, so open cursors re-create their
 * LMDB cursor and re-seek to their key on their next step; open read transactions keep their
 * snapshot.
 *
 * <h2>Durability</h2>
 * With {@link kv.backend.Durability#SYNC} configured the environment fsyncs every commit the way
 * LMDB does by default (data pages, then the meta page), and a {@code commit(NO_SYNC)} is synced
 * too. With {@link kv.backend.Durability#NO_SYNC} configured the environment is opened with
 * {@code MDB_NOMETASYNC}: a commit still fsyncs its data pages but not the meta page, so a machine
 * crash can lose the last commits but never leaves a torn store, and a process crash loses
 * nothing; a {@code commit(SYNC)} is followed by {@code env.sync(true)}. The option
 * {@code lmdb.no-sync=nosync} opens it with {@code MDB_NOSYNC} instead (no fsync at all; a machine
 * crash may then corrupt the store, so only for stores that can be rebuilt, e.g. from the raft
 * log and a snapshot). {@link kv.backend.Backend#sync()} is {@code env.sync(true)}. When a
 * commit or a sync fails in LMDB (other than a full map), what reached the disk is unknown, so
 * the backend refuses every later write until it is reopened.
 *
 * <h2>Sizes and defragment</h2>
 * The directory holds {@code CURRENT}, naming the live generation {@code data-N}, which holds
 * LMDB's {@code data.mdb} and {@code lock.mdb}. {@link kv.backend.Backend#sizeOnDisk()} adds up the
 * live generation's files (a retired one lingers only until its last reader ends);
 * {@link kv.backend.Backend#sizeInUse()} is the pages the databases use times the page size.
 * {@link kv.backend.Backend#defragment()} copies the live generation with {@code MDB_CP_COMPACT}
 * into the next one, fsyncs it, switches {@code CURRENT} atomically and opens it; readers of the
 * old generation finish there, and the last one deletes it. A generation left over by a crash in
 * the middle is deleted on open.
 *
 * <h2>Closing</h2>
 * Every call into LMDB holds the guard shared; {@link kv.backend.Backend#close()} takes it
 * exclusively, closes the cursors and transactions still open, then the environments, so no call
 * can use freed memory; afterwards every call throws {@link kv.backend.BackendClosedException}.
 */
package kv.backend.lmdb;
