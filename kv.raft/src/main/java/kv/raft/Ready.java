package kv.raft;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.Snapshot;

/**
 * Everything a {@link RawNode} asks of its owner at one point: what to persist, what to send, what
 * to apply. Immutable; obtained from {@link RawNode#ready()} and acknowledged with
 * {@link RawNode#advance(Ready)}. Only one Ready is outstanding at a time.
 *
 * <p><b>Order of handling (the safety of raft depends on it):</b>
 * <ol>
 *   <li>Persist {@link #snapshot()} (if {@link #hasSnapshot()}), {@link #entries()} and
 *       {@link #hardState()} (if {@link #hasHardState()}); fsync when {@link #mustSync()}. Entries
 *       with an index already in the log replace that entry and every later one.</li>
 *   <li>Only then send {@link #messages()}: a vote or an append acknowledgement must never leave the
 *       member before the term, vote and entries it vouches for are durable. Exception: a leader may
 *       send its {@code MSG_APP} messages while it writes its own entries in parallel, but it must
 *       finish that write before calling {@link RawNode#advance(Ready)} (the leader counts itself
 *       towards the quorum, and the commit that follows only leaves in a later Ready).</li>
 *   <li>Apply {@link #snapshot()} and then {@link #committedEntries()} to the state machine, in
 *       order; for a conf-change entry call {@link RawNode#applyConfChange}. Every committed entry is
 *       already durable from an earlier (or this) Ready.</li>
 *   <li>Call {@link RawNode#advance(Ready)} with this Ready.</li>
 * </ol>
 * Messages are addressed to other members only; none is addressed to the member itself.
 *
 * @param softState the new leader/role, empty when unchanged
 * @param hardState term/vote/commit to persist, {@link HardState#getDefaultInstance()} when unchanged
 * @param readStates answers to read-index requests
 * @param entries entries to append to stable storage
 * @param snapshot snapshot to persist, {@link Snapshot#getDefaultInstance()} when none
 * @param committedEntries committed entries to apply
 * @param messages messages to send after persisting (see above)
 * @param mustSync whether the writes must be fsynced (term, vote or entries changed)
 */
public record Ready(Optional<SoftState> softState, HardState hardState, List<ReadState> readStates,
                    List<Entry> entries, Snapshot snapshot, List<Entry> committedEntries,
                    List<Message> messages, boolean mustSync) {
    public Ready {
        Objects.requireNonNull(softState, "softState");
        Objects.requireNonNull(hardState, "hardState");
        Objects.requireNonNull(snapshot, "snapshot");
        readStates = List.copyOf(readStates);
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }

    /** Whether {@link #hardState()} carries a change to persist. */
    public boolean hasHardState() {
        return !hardState.equals(HardState.getDefaultInstance());
    }

    /** Whether {@link #snapshot()} carries a snapshot to persist and apply. */
    public boolean hasSnapshot() {
        return snapshot.getMetadata().getIndex() != 0;
    }

    /** The index the application will have applied once it handled this Ready (0: unchanged). */
    long appliedCursor() {
        if (!committedEntries.isEmpty()) {
            return committedEntries.getLast().getIndex();
        }
        return hasSnapshot() ? snapshot.getMetadata().getIndex() : 0;
    }
}
