package kv.wal;

import com.google.protobuf.ByteString;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/** The kinds of record a segment holds. The on-disk framing is {@link RecordCodec}'s. */
sealed interface WalRecord {
    /**
     * First record of every segment: carries the CRC chain over from the previous segment and says
     * where that segment's data ended, so that a zeroed or damaged end of a full segment is detected.
     */
    record CrcCarry(int previousCrc, long previousEnd) implements WalRecord {}

    /** The caller's metadata, repeated at the start of every segment. */
    record Metadata(ByteString data) implements WalRecord {}

    record EntryRecord(Entry entry) implements WalRecord {}

    record State(HardState hardState) implements WalRecord {}

    /** A raft snapshot was taken at this position. */
    record SnapshotMark(SnapshotPosition position) implements WalRecord {}

    /**
     * Written first in the batch after an fsync: every byte of this segment before {@code offset}
     * was durable when it was written. It carries its CRC seed so it can be checked on its own,
     * which lets recovery tell a torn tail (no later mark) from damage to synced data (a later mark).
     */
    record SyncMark(long segmentSeq, long offset, int seed) implements WalRecord {}
}
