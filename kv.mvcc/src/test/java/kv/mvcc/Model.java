package kv.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import kv.api.etcdserverpb.Compare;
import kv.api.mvccpb.KeyValue;

/**
 * A naive model of the store for randomized tests: the whole key space at every revision, kept
 * as a full copy per revision. Obviously correct, hopelessly slow, fine for a few thousand ops.
 *
 * <p>Like etcd's store it begins at revision {@link #FIRST} (empty) and was never compacted
 * ({@link #compacted} -1), so its first change is revision 2 and compacting revision 0 or 1 is allowed.
 */
final class Model {
    static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    /** The revision of the empty store. */
    static final long FIRST = 1;

    /** The key space at revision {@code FIRST + i}. */
    private final List<NavigableMap<ByteString, KeyValue>> states = new ArrayList<>();
    /** The last compacted revision; -1: never compacted. */
    long compacted = -1;
    /** The state being built by the write in progress, or null. */
    private NavigableMap<ByteString, KeyValue> next;
    private boolean changed;

    Model() {
        states.add(new TreeMap<>(ORDER));
    }

    long rev() {
        return FIRST + states.size() - 1;
    }

    NavigableMap<ByteString, KeyValue> at(long rev) {
        return states.get(Math.toIntExact(rev - FIRST));
    }

    /** The revision a read inside the current write reports (etcd: the write's own once it changed something). */
    long readRev() {
        return changed ? rev() + 1 : rev();
    }

    /** The state reads inside the current write see. */
    NavigableMap<ByteString, KeyValue> view() {
        return next != null ? next : at(rev());
    }

    void begin() {
        next = new TreeMap<>(at(rev()));
        changed = false;
    }

    void end() {
        if (changed) {
            states.add(next);
        }
        next = null;
    }

    void put(ByteString key, ByteString value) {
        long rev = rev() + 1;
        KeyValue old = next.get(key);
        next.put(key, KeyValue.newBuilder().setKey(key).setValue(value).setModRevision(rev)
                .setCreateRevision(old == null ? rev : old.getCreateRevision())
                .setVersion(old == null ? 1 : old.getVersion() + 1).build());
        changed = true;
    }

    long delete(ByteString key, ByteString end) {
        List<KeyValue> hit = range(next, key, end);
        for (KeyValue kv : hit) {
            next.remove(kv.getKey());
        }
        changed |= !hit.isEmpty();
        return hit.size();
    }

    /** Keys in [key, end) of {@code state}, etcd-style: empty end = just key, "\0" = to the last key. */
    static List<KeyValue> range(NavigableMap<ByteString, KeyValue> state, ByteString key, ByteString end) {
        if (end.isEmpty()) {
            KeyValue kv = state.get(key);
            return kv == null ? List.of() : List.of(kv);
        }
        if (end.size() == 1 && end.byteAt(0) == 0) {
            return new ArrayList<>(state.tailMap(key, true).values());
        }
        if (ORDER.compare(key, end) >= 0) {
            return List.of();
        }
        return new ArrayList<>(state.subMap(key, true, end, false).values());
    }

    /** etcd's compare semantics, written independently of the store's. */
    static boolean compare(NavigableMap<ByteString, KeyValue> state, Compare c) {
        List<KeyValue> kvs = range(state, c.getKey(), c.getRangeEnd());
        if (kvs.isEmpty()) {
            if (c.getTarget() == Compare.CompareTarget.VALUE) {
                return false;
            }
            kvs = List.of(KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            int r = switch (c.getTarget()) {
                case VALUE -> Integer.signum(ORDER.compare(kv.getValue(), c.getValue()));
                case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
                case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
                case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
                case LEASE -> Long.compare(kv.getLease(), c.getLease());
                case UNRECOGNIZED -> 0;
            };
            boolean ok = switch (c.getResult()) {
                case EQUAL -> r == 0;
                case NOT_EQUAL -> r != 0;
                case GREATER -> r > 0;
                case LESS -> r < 0;
                case UNRECOGNIZED -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
