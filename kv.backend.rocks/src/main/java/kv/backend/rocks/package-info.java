/**
 * The {@code rocksdb} storage engine: kv's {@link kv.backend.Backend} over RocksDB (rocksdbjni).
 * Nothing here is exported; the module provides {@link kv.backend.rocks.RocksProvider}.
 *
 * <h2>Buckets</h2>
 * All buckets share one key space (the default column family). Each bucket has a 4-byte id that
 * prefixes its keys, and a registry in the same key space maps names to ids. Column families were
 * the other choice, but creating or dropping one is a separate manifest operation, visible at once
 * and not part of a write batch: a bucket created in a transaction that then aborts would survive.
 * With a prefix, {@code createBucket}, {@code deleteBucket} and the bucket list are ordinary writes
 * of the same atomic batch as the data, and a read snapshot sees the registry as of its moment.
 * Ids are never reused.
 *
 * <h2>Transactions</h2>
 * A read transaction is a RocksDB snapshot. The write transaction is a {@code WriteBatchWithIndex}
 * read together with the database, so it sees its own writes (point reads and cursors alike); the
 * batch is written with one {@code RocksDB.write} call on commit, atomically. One write
 * transaction at a time (a semaphore); readers and the writer never wait for each other. Cursors
 * are iterators bounded to the bucket's prefix, in RocksDB's default bytewise order, which is
 * {@link kv.backend.Bytes#ORDER}.
 *
 * <h2>Durability</h2>
 * The RocksDB write-ahead log is always on and every commit is written to it before it returns.
 * {@link kv.backend.Durability#SYNC} sets {@code WriteOptions.sync}, so the log is fsynced before
 * the commit returns. {@link kv.backend.Durability#NO_SYNC} writes the log without fsync: the
 * commit is in the operating system's cache, so it survives a crash of the process (SIGKILL) but
 * not of the machine; after a machine crash RocksDB recovers to a prefix of the commits (never a
 * torn one: a batch is one log record), and kv replays the rest from its own raft WAL, which is
 * fsynced before entries are applied. {@link kv.backend.Backend#sync()} is
 * {@code flushWal(true)}: it writes and fsyncs the log, making every earlier commit durable.
 * After a failed fsync RocksDB enters its background-error state and refuses further writes.
 * {@link kv.backend.Backend#close()} flushes the memtables first, so that the next open does not
 * replay the WAL entry by entry.
 *
 * <h2>Tuning</h2>
 * See {@code RocksTuning}: a 64 MiB LRU block cache for data blocks, with index and filter blocks
 * held outside it by the table readers (a few MiB per GiB of data, and a point get never waits for
 * an evicted index), 10-bit whole-key bloom filters (most reads are point gets of one revision),
 * 4 KiB blocks (a point get reads one small block; scans of kv's short values gain little from
 * bigger ones), LZ4 compression on the upper levels and ZSTD on the bottommost level (or none),
 * 64 MiB memtables, dynamic level sizes, and two background jobs for two cores.
 * {@link kv.backend.Backend#sizeOnDisk()} adds up every file in the directory;
 * {@link kv.backend.Backend#sizeInUse()} is RocksDB's live-data estimate plus the live WAL;
 * {@link kv.backend.Backend#defragment()} is a full {@code compactRange} forced through the
 * bottommost level.
 *
 * <h2>Native resources and threads</h2>
 * Every native object (database, options, cache, filter, snapshots, iterators, read options,
 * slices, batches) has exactly one owner that closes it: cursors before their transaction,
 * transactions before the database, the database before its options. Calls into RocksDB hold a
 * shared lock that {@link kv.backend.Backend#close()} takes exclusively, so close never frees
 * memory a running call uses; afterwards every call throws
 * {@link kv.backend.BackendClosedException}. Calls that may block in the kernel (commit, sync,
 * defragment, open, close) never run on a virtual thread: from a virtual thread they are handed
 * to a platform thread. Short calls (gets, cursor steps) run on the caller's thread; on a virtual
 * thread they pin its carrier for their few microseconds, which is correct, and callers that
 * scan large ranges should use platform threads.
 */
package kv.backend.rocks;
