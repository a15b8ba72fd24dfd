package kv.wal;

/**
 * Where a raft snapshot sits in the log: the index and term of the last entry it covers. Recorded
 * in the WAL by {@link Wal#saveSnapshot} and the position {@link Wal#open} reads from.
 *
 * @param index the snapshot's last included index (unsigned, {@code >= 0})
 * @param term  the term of that entry
 */
public record SnapshotPosition(long index, long term) {
    /** The position of an empty log: every WAL records it at creation. */
    public static final SnapshotPosition ZERO = new SnapshotPosition(0, 0);

    public SnapshotPosition {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("wal: negative snapshot position " + index + "/" + term);
        }
    }
}
