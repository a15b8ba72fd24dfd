package kv.raft;

import java.util.ArrayList;
import java.util.List;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;

/**
 * A {@link Storage} held in memory, for tests, simulations and for a server that keeps its
 * recent log in memory next to its WAL. Thread-safe: every method is synchronized, so one thread
 * may append while the node's thread reads.
 *
 * <p>Invariant: {@code ents.get(0)} is a dummy entry carrying the snapshot's index and term.
 */
public final class MemoryStorage implements Storage {
    private HardState hardState = HardState.getDefaultInstance();
    private Snapshot snapshot = Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder()
            .setConfState(ConfState.getDefaultInstance())).build();
    private final ArrayList<Entry> ents = new ArrayList<>();

    public MemoryStorage() {
        ents.add(Entry.getDefaultInstance());
    }

    /** A storage whose (empty) snapshot lists the given voters: how tests start a cluster. */
    public static MemoryStorage withVoters(long... voters) {
        MemoryStorage s = new MemoryStorage();
        ConfState.Builder cs = ConfState.newBuilder();
        for (long v : voters) {
            cs.addVoters(v);
        }
        s.snapshot = s.snapshot.toBuilder().setMetadata(s.snapshot.getMetadata().toBuilder().setConfState(cs)).build();
        return s;
    }

    @Override
    public synchronized InitialState initialState() {
        return new InitialState(hardState, snapshot.getMetadata().getConfState());
    }

    /** Records the hard state of a Ready after writing it. */
    public synchronized void setHardState(HardState hs) {
        this.hardState = hs;
    }

    @Override
    public synchronized List<Entry> entries(long lo, long hi, long maxSize) {
        long offset = ents.getFirst().getIndex();
        if (lo <= offset) {
            throw new CompactedException();
        }
        if (hi > lastIndexLocked() + 1) {
            throw new IllegalArgumentException("raft: entries' hi(" + hi + ") is out of bound lastindex(" + lastIndexLocked() + ")");
        }
        if (ents.size() == 1) {
            throw new UnavailableException();
        }
        List<Entry> out = new ArrayList<>(ents.subList((int) (lo - offset), (int) (hi - offset)));
        return Entries.limitSize(out, maxSize);
    }

    @Override
    public synchronized long term(long i) {
        long offset = ents.getFirst().getIndex();
        if (i < offset) {
            throw new CompactedException();
        }
        if (i - offset >= ents.size()) {
            throw new UnavailableException();
        }
        return ents.get((int) (i - offset)).getTerm();
    }

    @Override
    public synchronized long firstIndex() {
        return ents.getFirst().getIndex() + 1;
    }

    @Override
    public synchronized long lastIndex() {
        return lastIndexLocked();
    }

    private long lastIndexLocked() {
        return ents.getFirst().getIndex() + ents.size() - 1;
    }

    @Override
    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the whole content with a snapshot received from a leader.
     *
     * @throws SnapshotOutOfDateException if it is older than the current snapshot
     */
    public synchronized void applySnapshot(Snapshot snap) {
        if (snap.getMetadata().getIndex() < snapshot.getMetadata().getIndex()) {
            throw new SnapshotOutOfDateException();
        }
        snapshot = snap;
        ents.clear();
        ents.add(Entry.newBuilder().setIndex(snap.getMetadata().getIndex()).setTerm(snap.getMetadata().getTerm()).build());
    }

    /**
     * Makes a snapshot at applied index {@code i} with the application's data, to be followed by
     * {@link #compact}. {@code cs} is the membership at {@code i} (null keeps the current one).
     *
     * @throws SnapshotOutOfDateException if {@code i} is not past the current snapshot
     */
    public synchronized Snapshot createSnapshot(long i, ConfState cs, com.google.protobuf.ByteString data) {
        if (i <= snapshot.getMetadata().getIndex()) {
            throw new SnapshotOutOfDateException();
        }
        long offset = ents.getFirst().getIndex();
        if (i > lastIndexLocked()) {
            throw new IllegalArgumentException("raft: snapshot " + i + " is out of bound lastindex(" + lastIndexLocked() + ")");
        }
        SnapshotMetadata.Builder md = snapshot.getMetadata().toBuilder()
                .setIndex(i).setTerm(ents.get((int) (i - offset)).getTerm());
        if (cs != null) {
            md.setConfState(cs);
        }
        snapshot = Snapshot.newBuilder().setMetadata(md).setData(data).build();
        return snapshot;
    }

    /**
     * Discards entries up to and including {@code compactIndex}; the application must not compact
     * past its applied index.
     *
     * @throws CompactedException if already compacted that far
     */
    public synchronized void compact(long compactIndex) {
        long offset = ents.getFirst().getIndex();
        if (compactIndex <= offset) {
            throw new CompactedException();
        }
        if (compactIndex > lastIndexLocked()) {
            throw new IllegalArgumentException("raft: compact " + compactIndex + " is out of bound lastindex(" + lastIndexLocked() + ")");
        }
        int i = (int) (compactIndex - offset);
        Entry dummy = Entry.newBuilder().setIndex(ents.get(i).getIndex()).setTerm(ents.get(i).getTerm()).build();
        List<Entry> rest = new ArrayList<>(ents.subList(i + 1, ents.size()));
        ents.clear();
        ents.add(dummy);
        ents.addAll(rest);
    }

    /**
     * Appends entries written from a Ready. Entries at or below the snapshot are ignored; entries
     * overlapping the tail replace it (a new leader overwrote an uncommitted suffix).
     */
    public synchronized void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long first = ents.getFirst().getIndex() + 1;
        long last = entries.getLast().getIndex();
        if (last < first) {
            return;
        }
        List<Entry> es = entries;
        if (first > es.getFirst().getIndex()) {
            es = es.subList((int) (first - es.getFirst().getIndex()), es.size());
        }
        long offset = es.getFirst().getIndex() - ents.getFirst().getIndex();
        if (ents.size() > offset) {
            ents.subList((int) offset, ents.size()).clear();
            ents.addAll(es);
        } else if (ents.size() == offset) {
            ents.addAll(es);
        } else {
            throw new IllegalStateException("raft: missing log entry [last: " + lastIndexLocked() + ", append at: " + es.getFirst().getIndex() + "]");
        }
    }
}
