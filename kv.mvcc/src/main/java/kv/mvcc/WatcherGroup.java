package kv.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A set of watchers indexed for matching events: single-key watchers by key, range watchers in a
 * list scanned per event. Not thread-safe: {@link WatcherHub} guards it.
 */
final class WatcherGroup {
    private final Map<String, Set<Watcher>> byKey = new HashMap<>();
    private final Set<Watcher> ranges = new LinkedHashSet<>();
    private final Set<Watcher> all = new LinkedHashSet<>();

    void add(Watcher w) {
        all.add(w);
        if (w.isRange()) {
            ranges.add(w);
        } else {
            byKey.computeIfAbsent(w.keyString, k -> new LinkedHashSet<>()).add(w);
        }
    }

    boolean remove(Watcher w) {
        if (!all.remove(w)) {
            return false;
        }
        if (w.isRange()) {
            ranges.remove(w);
        } else {
            Set<Watcher> s = byKey.get(w.keyString);
            s.remove(w);
            if (s.isEmpty()) {
                byKey.remove(w.keyString);
            }
        }
        return true;
    }

    boolean contains(Watcher w) {
        return all.contains(w);
    }

    int size() {
        return all.size();
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** Up to {@code n} watchers, oldest first. */
    List<Watcher> first(int n) {
        List<Watcher> out = new ArrayList<>(Math.min(n, all.size()));
        for (Watcher w : all) {
            if (out.size() == n) {
                break;
            }
            out.add(w);
        }
        return out;
    }

    List<Watcher> all() {
        return new ArrayList<>(all);
    }

    /** Visits every watcher whose key or range holds {@code key}. */
    void forEachMatching(byte[] key, Consumer<Watcher> visitor) {
        Set<Watcher> exact = byKey.get(new String(key, StandardCharsets.ISO_8859_1));
        if (exact != null) {
            exact.forEach(visitor);
        }
        for (Watcher w : ranges) {
            if (w.matches(key)) {
                visitor.accept(w);
            }
        }
    }
}
