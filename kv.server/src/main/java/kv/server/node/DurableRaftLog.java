package kv.server.node;

import java.util.List;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;

/**
 * Where a member keeps raft's durable state: the write-ahead log and the snapshot files. Called
 * only from the raft thread. Any failure is fatal to the member (the implementation throws and
 * refuses further calls; the node stops).
 */
public interface DurableRaftLog extends AutoCloseable {
    /** Appends the entries and the hard state; fsyncs before returning when {@code sync}. */
    void save(HardState hardState, List<Entry> entries, boolean sync);

    /** Durably records a snapshot (its metadata; the data is the backend, already synced by the caller). */
    void saveSnapshot(Snapshot snapshot);

    /** Lets go of log segments wholly below {@code index} (which a durable snapshot covers). */
    void releaseTo(long index);

    @Override
    void close();
}
