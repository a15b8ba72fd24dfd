package example.kv.backend.memlog;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import kv.backend.Bytes;

/**
 * A working copy of a {@link State} that is changed in place: the bucket directory is copied at
 * once, a bucket's entry map only when it is first written (copy on write), so that the base state
 * stays untouched for its readers. Used by a write transaction, by log replay and by checkpoint
 * loading. Callers validate arguments first; these methods assume a valid key and an existing bucket
 * where the name says so. Not thread-safe.
 */
final class Changes {
    private final TreeMap<String, NavigableMap<byte[], byte[]>> buckets;
    /** Buckets whose map is this working copy's own (created or copied here), so writable. */
    private final Set<String> owned = new HashSet<>();
    private long liveBytes;

    Changes(State base) {
        this.buckets = new TreeMap<>(base.buckets());
        this.liveBytes = base.liveBytes();
    }

    NavigableMap<byte[], byte[]> bucket(String name) {
        return buckets.get(name);
    }

    Set<String> bucketNames() {
        return buckets.keySet();
    }

    boolean createBucket(String name) {
        if (buckets.containsKey(name)) {
            return false;
        }
        buckets.put(name, new TreeMap<>(Bytes.ORDER));
        owned.add(name);
        liveBytes += State.bucketCost(name);
        return true;
    }

    boolean deleteBucket(String name) {
        NavigableMap<byte[], byte[]> gone = buckets.remove(name);
        if (gone == null) {
            return false;
        }
        owned.remove(name);
        liveBytes -= State.bucketCost(name);
        for (Map.Entry<byte[], byte[]> e : gone.entrySet()) {
            liveBytes -= State.entryCost(e.getKey(), e.getValue());
        }
        return true;
    }

    /** Puts an entry; {@code key} and {@code value} must already be this store's own copies. */
    void put(String bucket, byte[] key, byte[] value) {
        byte[] prior = writable(bucket).put(key, value);
        if (prior != null) {
            liveBytes -= State.entryCost(key, prior);
        }
        liveBytes += State.entryCost(key, value);
    }

    boolean delete(String bucket, byte[] key) {
        NavigableMap<byte[], byte[]> m = buckets.get(bucket);
        if (!m.containsKey(key)) {
            return false; // no copy for a delete that changes nothing
        }
        byte[] prior = writable(bucket).remove(key);
        liveBytes -= State.entryCost(key, prior);
        return true;
    }

    long deleteRange(String bucket, byte[] from, byte[] to) {
        NavigableMap<byte[], byte[]> m = buckets.get(bucket);
        if (range(m, from, to).isEmpty()) {
            return 0;
        }
        SortedMap<byte[], byte[]> doomed = range(writable(bucket), from, to);
        long n = doomed.size();
        for (Map.Entry<byte[], byte[]> e : doomed.entrySet()) {
            liveBytes -= State.entryCost(e.getKey(), e.getValue());
        }
        doomed.clear();
        return n;
    }

    private static SortedMap<byte[], byte[]> range(NavigableMap<byte[], byte[]> m, byte[] from, byte[] to) {
        if (from == null) {
            return to == null ? m : m.headMap(to, false);
        }
        if (to == null) {
            return m.tailMap(from, true);
        }
        if (Bytes.compare(from, to) >= 0) {
            return Collections.emptySortedMap();
        }
        return m.subMap(from, true, to, false);
    }

    private NavigableMap<byte[], byte[]> writable(String bucket) {
        NavigableMap<byte[], byte[]> m = buckets.get(bucket);
        if (owned.add(bucket)) {
            m = new TreeMap<>(m); // copies the comparator and the entries in linear time
            buckets.put(bucket, m);
        }
        return m;
    }

    /**
     * Publishes the working copy as a new immutable state. The working copy must not be used
     * afterwards: its maps now belong to the state.
     */
    State freeze() {
        TreeMap<String, NavigableMap<byte[], byte[]>> frozen = new TreeMap<>();
        // only the maps made here need a read-only view; the others are the base's views already
        buckets.forEach((name, m) -> frozen.put(name, owned.contains(name) ? Collections.unmodifiableNavigableMap(m) : m));
        return new State(Collections.unmodifiableSortedMap(frozen), liveBytes);
    }
}
