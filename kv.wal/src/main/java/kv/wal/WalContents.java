package kv.wal;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * Everything a WAL holds after the snapshot position it was opened at.
 *
 * @param metadata  the bytes given to {@link Wal#create}
 * @param hardState the last hard state saved (the default instance when none was)
 * @param entries   the entries after the snapshot index in index order; a later entry at an index
 *                  replaced the earlier one and everything after it (raft truncated its log)
 * @param tornTail  what recovery cut off the end of the log, if anything
 */
public record WalContents(ByteString metadata, HardState hardState, List<Entry> entries, Optional<TornTail> tornTail) {
    public WalContents {
        entries = List.copyOf(entries);
    }

    /** The index of the last entry, or {@code snapshotIndex} when there is none. */
    public long lastIndex(long snapshotIndex) {
        return entries.isEmpty() ? snapshotIndex : entries.getLast().getIndex();
    }
}
