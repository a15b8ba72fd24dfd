package kv.server.node;

import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Snapshot;

/**
 * What committed raft entries are applied to (the MVCC store, leases, auth, membership). Called
 * from the apply thread only, in log order, each entry once: an entry at or below
 * {@link #appliedIndex()} (already applied before a restart) is skipped by the caller.
 */
public interface StateMachine {
    /** The index of the last entry applied and durable together with its effects. */
    long appliedIndex();

    /**
     * Applies a normal entry; returns what the proposer waits for (a response, or the exception the
     * client must get). The applied index is recorded in the same backend transaction.
     */
    Applied apply(Entry entry);

    /**
     * Records a membership change that raft has applied, with the configuration that resulted;
     * returns what its proposer waits for.
     */
    Applied applyConfChange(Entry entry, ConfChangeV2 change, ConfState state);

    /** Replaces the whole state with the one a snapshot from the leader carries. */
    void restore(Snapshot snapshot);

    /** Makes everything applied so far durable (before a raft snapshot lets the log behind it go). */
    void sync();
}
