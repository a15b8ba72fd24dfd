package kv.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import kv.backend.Bytes;

/**
 * The in-memory index from key to {@link KeyIndex}, ordered by key bytes. Thread-safe: readers share
 * a read lock; writes and compaction take the write lock, compaction in chunks so that it does not
 * hold writers off for long.
 *
 * <p>A range bound {@code end == null} means the single key; an empty {@code end} means every key
 * from {@code key} on.
 *
 * <p>Beside the ordered tree, a hash map finds a single key: a put first looks its key up, and a walk
 * down a tree of 100,000 keys costs ~17 cache misses on entries and key arrays (10% of the server's
 * CPU in a put c100 profile); the hash map costs a few (~60 bytes more per key).
 */
final class TreeIndex {
    private static final int COMPACT_CHUNK = 10_000;

    private final TreeMap<byte[], KeyIndex> tree = new TreeMap<>(Bytes.ORDER);
    private final HashMap<KeyRef, KeyIndex> byKey = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Keys and the revisions a read saw, in key order, plus how many there were before the limit. */
    record Hits(List<byte[]> keys, List<Revision> revs, int total) {}

    void put(byte[] key, Revision rev) {
        lock.writeLock().lock();
        try {
            KeyRef ref = new KeyRef(key);
            KeyIndex ki = byKey.get(ref);
            if (ki == null) {
                ki = new KeyIndex(key);
                tree.put(key, ki);
                byKey.put(ref, ki);
            }
            ki.put(rev.main(), rev.sub());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Records a deletion; {@code false} when the key does not exist (nothing changes). */
    boolean tombstone(byte[] key, Revision rev) {
        lock.writeLock().lock();
        try {
            KeyIndex ki = byKey.get(new KeyRef(key));
            return ki != null && ki.tombstone(rev.main(), rev.sub());
        } finally {
            lock.writeLock().unlock();
        }
    }

    KeyIndex.Found get(byte[] key, long atRev) {
        lock.readLock().lock();
        try {
            KeyIndex ki = byKey.get(new KeyRef(key));
            return ki == null ? null : ki.get(atRev);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The keys live at {@code atRev} in [key, end); at most {@code limit} of them when limit > 0. */
    Hits range(byte[] key, byte[] end, long atRev, long limit) {
        List<byte[]> keys = new ArrayList<>();
        List<Revision> revs = new ArrayList<>();
        int total = 0;
        lock.readLock().lock();
        try {
            for (KeyIndex ki : span(key, end)) {
                KeyIndex.Found f = ki.get(atRev);
                if (f == null) {
                    continue;
                }
                if (limit <= 0 || keys.size() < limit) {
                    keys.add(ki.key);
                    revs.add(f.modified());
                }
                total++;
            }
        } finally {
            lock.readLock().unlock();
        }
        return new Hits(keys, revs, total);
    }

    /** How many keys are live at {@code atRev} in [key, end). */
    int count(byte[] key, byte[] end, long atRev) {
        int total = 0;
        lock.readLock().lock();
        try {
            for (KeyIndex ki : span(key, end)) {
                if (ki.get(atRev) != null) {
                    total++;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return total;
    }

    private Iterable<KeyIndex> span(byte[] key, byte[] end) {
        if (end == null) {
            KeyIndex ki = byKey.get(new KeyRef(key));
            return ki == null ? List.of() : List.of(ki);
        }
        if (end.length == 0) {
            return tree.tailMap(key, true).values();
        }
        if (Bytes.compare(key, end) >= 0) {
            return List.of();
        }
        return tree.subMap(key, true, end, false).values();
    }

    /**
     * Compacts every key at {@code rev}, removing keys left with nothing, and returns the revisions
     * that must stay in the backend.
     */
    Set<Revision> compact(long rev) {
        Set<Revision> available = new HashSet<>();
        byte[] from = null;
        while (true) {
            lock.writeLock().lock();
            try {
                NavigableMap<byte[], KeyIndex> rest = from == null ? tree : tree.tailMap(from, false);
                int done = 0;
                var it = rest.entrySet().iterator();
                while (it.hasNext() && done < COMPACT_CHUNK) {
                    // read the entry before removing it: TreeMap reuses a removed entry with two
                    // children for its successor, so e.getKey() afterwards names another key
                    Map.Entry<byte[], KeyIndex> e = it.next();
                    byte[] k = e.getKey();
                    KeyIndex ki = e.getValue();
                    ki.compact(rev, available);
                    if (ki.isEmpty()) {
                        it.remove();
                        byKey.remove(new KeyRef(k));
                    }
                    from = k;
                    done++;
                }
                if (!it.hasNext()) {
                    return available;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** The revisions a compaction at {@code rev} would keep, changing nothing. */
    Set<Revision> keep(long rev) {
        Set<Revision> available = new HashSet<>();
        lock.readLock().lock();
        try {
            for (KeyIndex ki : tree.values()) {
                ki.keep(rev, available);
            }
        } finally {
            lock.readLock().unlock();
        }
        return available;
    }

    /** Drops every key, before a restore rebuilds the index (readers are held off by the store). */
    void clear() {
        lock.writeLock().lock();
        try {
            tree.clear();
            byKey.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Inserts a key rebuilt during restore (no other thread uses the index meanwhile). */
    void restored(KeyIndex ki) {
        tree.put(ki.key, ki);
        byKey.put(new KeyRef(ki.key), ki);
    }

    /** The key index of {@code key} during restore, or {@code null}. */
    KeyIndex restoring(byte[] key) {
        return byKey.get(new KeyRef(key));
    }

    /** Visits every key index under the read lock (for golden files and tests). */
    void forEach(Consumer<KeyIndex> visitor) {
        lock.readLock().lock();
        try {
            tree.values().forEach(visitor);
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return tree.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A key's bytes as a hash-map key: equal by content, hashed once with FNV-1a (Arrays.hashCode
     * crowds keys that differ in a few leading bytes, such as etcd's benchmark keys, into the same
     * buckets), and ordered like the tree so that a crowded bucket HashMap turns into a tree stays
     * a fast lookup.
     */
    private static final class KeyRef implements Comparable<KeyRef> {
        private final byte[] key;
        private final int hash;

        KeyRef(byte[] key) {
            this.key = key;
            long h = 0xcbf29ce484222325L;
            for (byte b : key) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            this.hash = (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyRef r && r.hash == hash && Arrays.equals(r.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(KeyRef o) {
            return Bytes.compare(key, o.key);
        }
    }
}
