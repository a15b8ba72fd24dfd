package kv.backend.jbolt.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writer's account of pages not reachable from the latest committed state: {@code free} pages
 * may be allocated now; {@code pending} pages were freed by commit {@code txid} and may still be
 * seen by a reader of an older state, so they become free only once no open reader started before
 * that commit ({@link #release}).
 *
 * <p>Persisted at each commit as the union of both (after a restart no reader exists). Owned by the
 * writer: not thread-safe.
 */
final class Freelist {
    /** Free page ids, sorted, in {@code free[head, head + size)}: single pages are taken from the head in O(1). */
    private long[] free = new long[64];
    private int head;
    private int size;
    private final TreeMap<Long, long[]> pending = new TreeMap<>();
    private long pendingCount;

    /** Replaces the content with {@code ids} (sorted, unique), as read from the file. */
    void load(long[] ids) {
        free = Arrays.copyOf(ids, Math.max(64, ids.length));
        head = 0;
        size = ids.length;
        pending.clear();
        pendingCount = 0;
    }

    int freeCount() {
        return size;
    }

    long pendingCount() {
        return pendingCount;
    }

    /** Records pages freed by commit {@code txid}. */
    void addPending(long txid, long[] ids) {
        if (ids.length == 0) {
            return;
        }
        long[] prior = pending.get(txid);
        long[] merged = prior == null ? ids.clone() : concat(prior, ids);
        pending.put(txid, merged);
        pendingCount += ids.length;
    }

    /** Frees the pages of every commit {@code <= oldestReader}: no open reader can see them any more. */
    void release(long oldestReader) {
        var head = pending.headMap(oldestReader, true);
        if (head.isEmpty()) {
            return;
        }
        int n = 0;
        for (long[] ids : head.values()) {
            n += ids.length;
        }
        long[] add = new long[n];
        int at = 0;
        for (long[] ids : head.values()) {
            System.arraycopy(ids, 0, add, at, ids.length);
            at += ids.length;
        }
        head.clear();
        pendingCount -= n;
        Arrays.sort(add);
        merge(add);
    }

    /** Takes {@code n} contiguous free pages and returns the first id, or 0 when there is no such run. */
    long allocate(int n) {
        if (n == 1 && size > 0) {
            size--;
            return free[head++];
        }
        int runStart = head;
        for (int i = head; i < head + size; i++) {
            if (i > head && free[i] != free[i - 1] + 1) {
                runStart = i;
            }
            if (i - runStart + 1 == n) {
                long id = free[runStart];
                System.arraycopy(free, i + 1, free, runStart, head + size - i - 1);
                size -= n;
                return id;
            }
        }
        return 0;
    }

    /** Every free and pending page id, sorted: what is persisted. */
    long[] all() {
        long[] out = new long[Math.toIntExact(size + pendingCount)];
        System.arraycopy(free, head, out, 0, size);
        int at = size;
        for (long[] ids : pending.values()) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        Arrays.sort(out);
        return out;
    }

    /** Pending page ids by the commit that freed them (a copy, for checks and tests). */
    Map<Long, long[]> pending() {
        TreeMap<Long, long[]> copy = new TreeMap<>();
        pending.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private void merge(long[] add) {
        long[] out = new long[Math.max(64, size + add.length)];
        int i = head;
        int end = head + size;
        int j = 0;
        int k = 0;
        while (i < end || j < add.length) {
            if (j == add.length || (i < end && free[i] < add[j])) {
                out[k++] = free[i++];
            } else {
                out[k++] = add[j++];
            }
        }
        free = out;
        head = 0;
        size = k;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
