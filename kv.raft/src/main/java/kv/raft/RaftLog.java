package kv.raft;

import java.util.ArrayList;
import java.util.List;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Snapshot;

/**
 * The log as raft sees it: the stable {@link Storage} followed by the {@link Unstable} tail, plus
 * the commit and applied cursors. Not thread-safe; owned by {@link Raft}.
 */
final class RaftLog {
    final Storage storage;
    final Unstable unstable;
    long committed;
    long applied;

    RaftLog(Storage storage) {
        this.storage = storage;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        this.unstable = new Unstable(last + 1);
        this.committed = first - 1;
        this.applied = first - 1;
    }

    /**
     * Appends {@code ents} after the entry (index, logTerm) if the log holds that entry (§5.3
     * consistency check), truncating a conflicting suffix. Returns the last new index, or -1 when
     * the log does not contain (index, logTerm).
     */
    long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNew = index + ents.size();
        long ci = findConflict(ents);
        if (ci != 0) {
            if (ci <= committed) {
                throw new IllegalStateException("entry " + ci + " conflict with committed entry [committed(" + committed + ")]");
            }
            append(ents.subList((int) (ci - (index + 1)), ents.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    long append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return lastIndex();
        }
        long after = ents.getFirst().getIndex() - 1;
        if (after < committed) {
            throw new IllegalStateException("after(" + after + ") is out of range [committed(" + committed + ")]");
        }
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /** The first entry whose term differs from ours (or that we lack), or 0 if all match. */
    long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.getIndex(), e.getTerm())) {
                return e.getIndex();
            }
        }
        return 0;
    }

    /**
     * Fast back-off: the largest index at or below {@code index} whose term is at most
     * {@code term}; a leader can skip every entry above it in one round trip.
     */
    long findConflictByTerm(long index, long term) {
        if (index > lastIndex()) {
            return index;
        }
        while (index > 0) {
            long ours;
            try {
                ours = term(index);
            } catch (CompactedException | UnavailableException e) {
                break;
            }
            if (ours <= term) {
                break;
            }
            index--;
        }
        return index;
    }

    List<Entry> unstableEntries() {
        return List.copyOf(unstable.entries);
    }

    /** Committed entries not yet handed to the application. */
    List<Entry> nextEnts() {
        long off = Math.max(applied + 1, firstIndex());
        if (committed + 1 > off) {
            return slice(off, committed + 1, Long.MAX_VALUE);
        }
        return List.of();
    }

    boolean hasNextEnts() {
        return committed + 1 > Math.max(applied + 1, firstIndex());
    }

    boolean hasPendingSnapshot() {
        return unstable.snapshot != null;
    }

    Snapshot snapshot() {
        return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i != -1 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i != -1 ? i : storage.lastIndex();
    }

    void commitTo(long toCommit) {
        if (committed < toCommit) {
            if (lastIndex() < toCommit) {
                throw new IllegalStateException("tocommit(" + toCommit + ") is out of range [lastIndex(" + lastIndex()
                        + ")]. Was the raft log corrupted, truncated, or lost?");
            }
            committed = toCommit;
        }
    }

    void appliedTo(long i) {
        if (i == 0) {
            return;
        }
        if (committed < i || i < applied) {
            throw new IllegalStateException("applied(" + i + ") is out of range [prevApplied(" + applied + "), committed(" + committed + ")]");
        }
        applied = i;
    }

    void stableTo(long i, long t) {
        unstable.stableTo(i, t);
    }

    void stableSnapTo(long i) {
        unstable.stableSnapTo(i);
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /**
     * The term of entry i; 0 past the last index.
     *
     * @throws CompactedException below the first available index - 1
     */
    long term(long i) {
        long dummy = firstIndex() - 1;
        if (i < dummy) {
            throw new CompactedException();
        }
        if (i > lastIndex()) {
            return 0;
        }
        long t = unstable.maybeTerm(i);
        return t != -1 ? t : storage.term(i);
    }

    /** The term of entry i, or 0 when it is compacted or unavailable. */
    long termOrZero(long i) {
        try {
            return term(i);
        } catch (CompactedException | UnavailableException e) {
            return 0;
        }
    }

    boolean matchTerm(long i, long term) {
        return termOrZero(i) == term;
    }

    /** Entries from lo to the end, at most maxSize bytes (at least one). */
    List<Entry> entries(long lo, long maxSize) {
        if (lo > lastIndex()) {
            return List.of();
        }
        return slice(lo, lastIndex() + 1, maxSize);
    }

    /** §5.4.1: whether a candidate's log (lastIndex, term) is at least as up to date as ours. */
    boolean isUpToDate(long lastIndex, long term) {
        long ourTerm = lastTerm();
        return term > ourTerm || (term == ourTerm && lastIndex >= lastIndex());
    }

    /** §5.4.2: commits up to maxIndex only if that entry is from the current term. */
    boolean maybeCommit(long maxIndex, long term) {
        if (maxIndex > committed && termOrZero(maxIndex) == term) {
            commitTo(maxIndex);
            return true;
        }
        return false;
    }

    void restore(Snapshot s) {
        committed = s.getMetadata().getIndex();
        unstable.restore(s);
    }

    /** Entries in [lo, hi), cut at maxSize bytes (at least one entry). */
    List<Entry> slice(long lo, long hi, long maxSize) {
        long first = firstIndex();
        if (lo < first) {
            throw new CompactedException();
        }
        if (lo > hi || hi > lastIndex() + 1) {
            throw new IllegalStateException("slice[" + lo + "," + hi + ") out of bound [" + first + "," + lastIndex() + "]");
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        if (lo < unstable.offset) {
            long stableHi = Math.min(hi, unstable.offset);
            List<Entry> stored;
            try {
                stored = storage.entries(lo, stableHi, maxSize);
            } catch (UnavailableException e) {
                throw new IllegalStateException("entries[" + lo + ":" + stableHi + ") is unavailable from storage", e);
            }
            if (stored.size() < stableHi - lo) {
                return stored;
            }
            out.addAll(stored);
        }
        if (hi > unstable.offset) {
            out.addAll(unstable.slice(Math.max(lo, unstable.offset), hi));
        }
        return Entries.limitSize(out, maxSize);
    }

    /** All entries held, for tests and debugging. */
    List<Entry> allEntries() {
        return entries(firstIndex(), Long.MAX_VALUE);
    }
}
