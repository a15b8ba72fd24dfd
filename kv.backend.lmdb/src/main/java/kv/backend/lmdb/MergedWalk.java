package kv.backend.lmdb;

import java.util.Map;
import java.util.NavigableMap;

/**
 * A {@link Walk} over a write transaction's view of one bucket: its pending writes laid over the
 * committed content (absent when the bucket was deleted or created in the transaction). A pending
 * write wins over a committed key; a tombstone hides it.
 *
 * <p>Each step re-seeks the committed walk from the current key rather than keeping two cursors in
 * step: simpler to get right in both directions, at the cost of a B-tree descent per step, paid
 * only inside write transactions. Not thread-safe.
 */
final class MergedWalk implements Walk {
    private final NavigableMap<byte[], byte[]> writes;
    private final Walk base;
    private byte[] key;
    private byte[] pendingValue;

    MergedWalk(NavigableMap<byte[], byte[]> writes, Walk base) {
        this.writes = writes;
        this.base = base;
    }

    @Override
    public boolean first() {
        return forward(null, true);
    }

    @Override
    public boolean last() {
        return backward(null, true);
    }

    @Override
    public boolean seek(byte[] k) {
        return forward(k, true);
    }

    @Override
    public boolean next() {
        return forward(key, false);
    }

    @Override
    public boolean prev() {
        return backward(key, false);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return pendingValue != null ? pendingValue.clone() : base.value();
    }

    @Override
    public void remap() {
        if (base != null) {
            base.remap();
        }
    }

    @Override
    public void close() {
        if (base != null) {
            base.close();
        }
    }

    /** Lands on the smallest visible key after {@code from} ({@code null}: from the start). */
    private boolean forward(byte[] from, boolean inclusive) {
        while (true) {
            byte[] b = baseAtOrAfter(from, inclusive);
            Map.Entry<byte[], byte[]> p = from == null ? writes.firstEntry()
                    : inclusive ? writes.ceilingEntry(from) : writes.higherEntry(from);
            if (!land(b, p, true)) {
                return false;
            }
            if (pendingValue != BucketChange.TOMBSTONE) {
                return true;
            }
            from = key;
            inclusive = false;
        }
    }

    /** Lands on the largest visible key before {@code from} ({@code null}: from the end). */
    private boolean backward(byte[] from, boolean inclusive) {
        while (true) {
            byte[] b = baseAtOrBefore(from, inclusive);
            Map.Entry<byte[], byte[]> p = from == null ? writes.lastEntry()
                    : inclusive ? writes.floorEntry(from) : writes.lowerEntry(from);
            if (!land(b, p, false)) {
                return false;
            }
            if (pendingValue != BucketChange.TOMBSTONE) {
                return true;
            }
            from = key;
            inclusive = false;
        }
    }

    /** Picks the nearer of the committed key and the pending entry; a pending entry wins a tie. */
    private boolean land(byte[] b, Map.Entry<byte[], byte[]> p, boolean forward) {
        if (b == null && p == null) {
            key = null;
            pendingValue = null;
            return false;
        }
        boolean takePending;
        if (b == null) {
            takePending = true;
        } else if (p == null) {
            takePending = false;
        } else {
            int c = kv.backend.Bytes.compare(p.getKey(), b);
            takePending = c == 0 || (forward ? c < 0 : c > 0);
        }
        if (takePending) {
            key = p.getKey();
            pendingValue = p.getValue();
        } else {
            key = b;
            pendingValue = null;
        }
        return true;
    }

    private byte[] baseAtOrAfter(byte[] from, boolean inclusive) {
        if (base == null) {
            return null;
        }
        boolean ok = from == null ? base.first() : base.seek(from);
        if (ok && !inclusive && java.util.Arrays.equals(base.key(), from)) {
            ok = base.next();
        }
        return ok ? base.key() : null;
    }

    private byte[] baseAtOrBefore(byte[] from, boolean inclusive) {
        if (base == null) {
            return null;
        }
        boolean ok;
        if (from == null) {
            ok = base.last();
        } else if (base.seek(from)) {
            ok = inclusive && java.util.Arrays.equals(base.key(), from) || base.prev();
        } else {
            ok = base.last();
        }
        return ok ? base.key() : null;
    }
}
