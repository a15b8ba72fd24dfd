package kv.raft;

import java.util.ArrayList;
import java.util.List;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Snapshot;

/**
 * The part of the log not yet acknowledged as persisted: an optional incoming snapshot followed by
 * entries starting at {@code offset}. Not thread-safe; owned by {@link RaftLog}.
 */
final class Unstable {
    Snapshot snapshot;
    List<Entry> entries = new ArrayList<>();
    long offset;

    Unstable(long offset) {
        this.offset = offset;
    }

    /** First index if a snapshot is pending, else -1. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.getMetadata().getIndex() + 1 : -1;
    }

    /** Last index held here, else -1. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot != null ? snapshot.getMetadata().getIndex() : -1;
    }

    /** Term of entry i if held here, else -1. */
    long maybeTerm(long i) {
        if (i < offset) {
            if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
                return snapshot.getMetadata().getTerm();
            }
            return -1;
        }
        long last = maybeLastIndex();
        if (last == -1 || i > last) {
            return -1;
        }
        return entries.get((int) (i - offset)).getTerm();
    }

    void stableTo(long i, long t) {
        long gt = maybeTerm(i);
        // Only if the entry is still the one we handed out: a newer leader may have replaced it.
        if (gt == t && i >= offset) {
            entries = new ArrayList<>(entries.subList((int) (i + 1 - offset), entries.size()));
            offset = i + 1;
        }
    }

    void stableSnapTo(long i) {
        if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
            snapshot = null;
        }
    }

    void restore(Snapshot s) {
        offset = s.getMetadata().getIndex() + 1;
        entries = new ArrayList<>();
        snapshot = s;
    }

    void truncateAndAppend(List<Entry> ents) {
        long after = ents.getFirst().getIndex();
        if (after == offset + entries.size()) {
            entries.addAll(ents);
        } else if (after <= offset) {
            // Replaces everything unstable, and the stable tail from 'after' on.
            offset = after;
            entries = new ArrayList<>(ents);
        } else {
            List<Entry> kept = new ArrayList<>(slice(offset, after));
            kept.addAll(ents);
            entries = kept;
        }
    }

    List<Entry> slice(long lo, long hi) {
        long upper = offset + entries.size();
        if (lo > hi || lo < offset || hi > upper) {
            throw new IllegalStateException("unstable.slice[" + lo + "," + hi + ") out of bound [" + offset + "," + upper + "]");
        }
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
