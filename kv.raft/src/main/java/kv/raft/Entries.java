package kv.raft;

import java.util.List;
import kv.raft.raftpb.Entry;

/** Sizing of entry lists against byte budgets. */
final class Entries {
    private Entries() {}

    /** The longest prefix within {@code maxSize} bytes, but at least one entry. */
    static List<Entry> limitSize(List<Entry> ents, long maxSize) {
        if (ents.isEmpty()) {
            return ents;
        }
        long size = ents.getFirst().getSerializedSize();
        int limit = 1;
        for (; limit < ents.size(); limit++) {
            size += ents.get(limit).getSerializedSize();
            if (size > maxSize) {
                break;
            }
        }
        return limit == ents.size() ? ents : ents.subList(0, limit);
    }

    /** Bytes of payload, as counted against the uncommitted-size budget. */
    static long payloadSize(List<Entry> ents) {
        long s = 0;
        for (Entry e : ents) {
            s += e.getData().size();
        }
        return s;
    }
}
