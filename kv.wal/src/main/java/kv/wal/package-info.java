/**
 * Raft's durable memory: a segmented, CRC-chained write-ahead log ({@link kv.wal.Wal}) of raft
 * entries and hard states, and raft snapshot files ({@link kv.wal.Snapshotter}).
 *
 * <p>The write path is {@link kv.wal.Wal#save}: one call per raft {@code Ready}, one fsync per call
 * when the caller asks for durability. Recovery is {@link kv.wal.Wal#open} followed by
 * {@link kv.wal.Wal#readAll}: a torn tail left by a crash is cut and reported, a checksum mismatch
 * before the tail is corruption and fails the open without modifying any file. Any failed write or
 * fsync makes the log refuse every further call ({@link kv.wal.WalFailedException}): the member
 * must stop.
 */
package kv.wal;
