package kv.wal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/** Entries and hard states for tests, with data derived from index and term so it can be checked. */
final class Workloads {
    static final ByteString META = ByteString.copyFromUtf8("member=1 cluster=abc");

    private Workloads() {}

    static Entry entry(long index, long term, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (index * 31 + term * 7 + i);
        }
        return Entry.newBuilder().setIndex(index).setTerm(term).setData(ByteString.copyFrom(data)).build();
    }

    static List<Entry> entries(long from, long to, long term, int size) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term, size));
        }
        return out;
    }

    static HardState state(long term, long commit) {
        return HardState.newBuilder().setTerm(term).setVote(1).setCommit(commit).build();
    }

    /** The log after applying {@code batch} to {@code log} the way raft does: a lower index truncates. */
    static List<Entry> apply(List<Entry> log, List<Entry> batch) {
        List<Entry> out = new ArrayList<>(log);
        for (Entry e : batch) {
            while (!out.isEmpty() && out.getLast().getIndex() >= e.getIndex()) {
                out.removeLast();
            }
            out.add(e);
        }
        return out;
    }
}
