package kv.raft;

import java.util.List;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;

/**
 * The stable log a {@link RawNode} reads: what the application has already persisted from earlier
 * {@link Ready}s (entries, hard state, snapshot). Raft never writes through this interface; the
 * application writes to its own store and raft reads it back.
 *
 * <p>Raft calls it only from the thread driving the node. An implementation shared with another
 * thread (e.g. one that appends) must make these reads safe; {@link MemoryStorage} does.
 */
public interface Storage {

    /** What was persisted last: the hard state and the membership of the latest snapshot or conf change. */
    record InitialState(HardState hardState, ConfState confState) {
        public InitialState {
            java.util.Objects.requireNonNull(hardState, "hardState");
            java.util.Objects.requireNonNull(confState, "confState");
        }
    }

    InitialState initialState();

    /**
     * Entries in {@code [lo, hi)}, cut after {@code maxSize} bytes of payload but always at least
     * one entry when the range is not empty.
     *
     * @throws CompactedException if {@code lo} is at or below the snapshot index
     * @throws UnavailableException if {@code hi} is past the last index + 1
     */
    List<Entry> entries(long lo, long hi, long maxSize);

    /**
     * The term of entry {@code i}; {@code i} may be the snapshot index (firstIndex - 1).
     *
     * @throws CompactedException if {@code i} is below the snapshot index
     * @throws UnavailableException if {@code i} is past the last index
     */
    long term(long i);

    /** Index of the first entry still available (snapshot index + 1). */
    long firstIndex();

    /** Index of the last entry (the snapshot index when there are no entries). */
    long lastIndex();

    /**
     * The most recent snapshot.
     *
     * @throws SnapshotTemporarilyUnavailableException if one is being prepared; raft retries later
     */
    Snapshot snapshot();
}
