package kv.mvcc;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;
import kv.backend.Bytes;
import kv.backend.ReadTx;

/**
 * The store's watchers, in two groups as in etcd: synced watchers get each revision's events as it
 * is applied ({@link #notify}); unsynced ones (started in the past, or parked because their
 * stream's buffer was full) are caught up from the backend by {@link #sync}. A watcher is in
 * exactly one group, and {@code minRev} (the next revision it needs) only grows, so events are
 * never duplicated, skipped or reordered.
 *
 * <p>{@code notifiedRev} is the last revision whose events were handed to synced watchers: a
 * watcher is synced up to it, and progress notifications report it. Thread-safe (one lock).
 */
final class WatcherHub {
    private final MvccStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final WatcherGroup synced = new WatcherGroup();
    private final WatcherGroup unsynced = new WatcherGroup();
    private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();
    private long notifiedRev = -1;

    WatcherHub(MvccStore store) {
        this.store = store;
    }

    int bufferSize() {
        return store.config.watchBufferSize();
    }

    void opened(WatchStream s) {
        streams.add(s);
    }

    void closed(WatchStream s) {
        streams.remove(s);
    }

    void closeAll() {
        for (WatchStream s : List.copyOf(streams)) {
            s.close();
        }
    }

    private long notified() {
        if (notifiedRev < 0) {
            notifiedRev = store.currentRev;
        }
        return notifiedRev;
    }

    /**
     * Runs {@code takeOver} (the store replacing its whole content) with the hub locked, so no sync
     * step, notification, new watcher or progress report sees it half done; then every synced
     * watcher becomes unsynced from the next revision it needs, so that sync steps serve what the
     * new content holds after it (or a compacted response), as etcd does on a snapshot restore.
     * A synced watcher has had everything up to the last notified revision, so it needs the one
     * after (its {@code minRev} may be older: it moves only when the watcher gets events); etcd
     * resumes from {@code minRev} and may answer "compacted" for revisions the watcher had passed.
     * Nothing is changed when {@code takeOver} throws (the store is then failed).
     */
    void takeOver(Runnable takeOver) {
        lock.lock();
        try {
            long syncedTo = notified();
            takeOver.run();
            for (Watcher w : synced.all()) {
                synced.remove(w);
                w.minRev = Math.max(w.minRev, syncedTo + 1);
                unsynced.add(w);
            }
            notifiedRev = store.currentRev;
        } finally {
            lock.unlock();
        }
    }

    /** Registers {@code w} to start at {@code startRev} (0: from the next revision). */
    void add(Watcher w, long startRev) {
        lock.lock();
        try {
            long cur = notified();
            if (startRev == 0 || startRev > cur) {
                w.minRev = Math.max(cur + 1, startRev);
                synced.add(w);
            } else {
                w.minRev = startRev;
                unsynced.add(w);
            }
        } finally {
            lock.unlock();
        }
    }

    boolean remove(Watcher w) {
        lock.lock();
        try {
            return synced.remove(w) || unsynced.remove(w);
        } finally {
            lock.unlock();
        }
    }

    /** Hands revision {@code rev}'s changes to synced watchers; called by the store after each commit. */
    void notify(long rev, List<KeyValue> changes) {
        if (changes.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            notified();
            notifiedRev = rev;
            if (synced.isEmpty()) {
                return;
            }
            List<Event> evs = new ArrayList<>(changes.size());
            List<byte[]> keys = new ArrayList<>(changes.size());
            Map<Watcher, Boolean> hit = new LinkedHashMap<>();
            for (KeyValue kv : changes) {
                evs.add(toEvent(kv, rev));
                byte[] k = kv.getKey().toByteArray();
                keys.add(k);
                synced.forEachMatching(k, w -> hit.put(w, Boolean.TRUE));
            }
            PrevKvs prev = new PrevKvs();
            for (Watcher w : hit.keySet()) {
                List<Event> mine = w.select(evs, keys);
                if (mine.isEmpty()) {
                    continue;
                }
                if (w.stream.offer(new WatchUpdate(w.id, prev.attach(w, mine), rev, 0))) {
                    w.minRev = rev + 1;
                    w.sentSinceProgress = true;
                } else {
                    // the stream's buffer is full: park the watcher; sync catches it up from the backend
                    synced.remove(w);
                    w.minRev = rev;
                    unsynced.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    static Event toEvent(KeyValue kv, long rev) {
        if (kv.getCreateRevision() == 0) {
            return Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv.toBuilder().setModRevision(rev)).build();
        }
        return Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build();
    }

    /** One catch-up step for unsynced watchers; returns how many remain unsynced. */
    int sync() {
        lock.lock();
        try {
            if (unsynced.isEmpty()) {
                return 0;
            }
            long cur = notified();
            List<Watcher> batch = serveCompacted(unsynced.first(store.config.maxWatchersPerSync()));
            if (batch.isEmpty()) {
                return unsynced.size();
            }
            long from = Long.MAX_VALUE;
            for (Watcher w : batch) {
                from = Math.min(from, w.minRev);
            }
            Catchup c = from > cur ? new Catchup(List.of(), List.of(), cur) : read(from, cur);
            PrevKvs prev = new PrevKvs();
            for (Watcher w : batch) {
                List<Event> mine = w.select(c.events, c.keys);
                if (!mine.isEmpty() && !w.stream.offer(new WatchUpdate(w.id, prev.attach(w, mine), cur, 0))) {
                    continue; // still full: try again next step
                }
                w.sentSinceProgress |= !mine.isEmpty();
                w.minRev = Math.max(w.minRev, c.lastRev + 1);
                if (c.lastRev >= cur) {
                    unsynced.remove(w);
                    synced.add(w);
                }
            }
            return unsynced.size();
        } finally {
            lock.unlock();
        }
    }

    /** Tells watchers that need a compacted revision so, and drops them; returns the others. */
    private List<Watcher> serveCompacted(List<Watcher> batch) {
        long compact = store.compactMainRev;
        List<Watcher> rest = new ArrayList<>(batch.size());
        for (Watcher w : batch) {
            if (w.minRev >= compact) {
                rest.add(w);
            } else if (w.stream.offer(new WatchUpdate(w.id, List.of(), notifiedRev, compact))) {
                unsynced.remove(w);
                w.stream.forget(w.id);
            }
        }
        return rest;
    }

    private record Catchup(List<Event> events, List<byte[]> keys, long lastRev) {}

    /**
     * Events of revisions [from, to] from the backend (and the store's uncommitted batch), at most
     * the configured number of revisions, never half a revision.
     */
    private Catchup read(long from, long to) {
        byte[] lo = Revision.startOf(from);
        byte[] hi = Revision.startOf(to + 1);
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(Bytes.ORDER);
        NavigableMap<byte[], byte[]> p = store.pending; // before the snapshot: see MvccStore.pending
        int maxRevs = store.config.watchSyncRevisions();
        long[] seen = {0, from - 1};
        try (ReadTx tx = store.backend.beginRead()) {
            // stop one revision past the limit: the batch's revisions are all newer than committed ones
            tx.scan(MvccStore.KEY, lo, hi, (k, v) -> {
                long main = Revision.fromBytes(k).main();
                if (main != seen[1] && ++seen[0] > maxRevs) {
                    return false;
                }
                seen[1] = main;
                entries.put(k, v);
                return true;
            });
        }
        boolean cut = seen[0] > maxRevs;
        if (!cut) {
            entries.putAll(p.subMap(lo, true, hi, false));
        }
        List<Event> evs = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        long last = from - 1;
        int revs = 0;
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            long main = Revision.fromBytes(e.getKey()).main();
            if (main != last) {
                if (revs == maxRevs) {
                    return new Catchup(evs, keys, last);
                }
                revs++;
                last = main;
            }
            KeyValue kv = MvccStore.decode(e.getValue());
            evs.add(toEvent(Revision.isTombstone(e.getKey()) ? kv.toBuilder().setCreateRevision(0).build() : kv, main));
            keys.add(kv.getKey().toByteArray());
        }
        return new Catchup(evs, keys, cut ? last : to);
    }

    /** A progress notification for watcher {@code w} if it is synced; returns whether one was queued. */
    boolean progress(Watcher w) {
        lock.lock();
        try {
            return synced.contains(w) && w.stream.offer(new WatchUpdate(w.id, List.of(), notified(), 0));
        } finally {
            lock.unlock();
        }
    }

    /** One stream-wide progress notification (watch id -1) if every watcher of the stream is synced. */
    boolean progressAll(WatchStream s, List<Watcher> ws) {
        lock.lock();
        try {
            for (Watcher w : ws) {
                if (!synced.contains(w)) {
                    return false;
                }
            }
            return s.offer(new WatchUpdate(-1, List.of(), notified(), 0));
        } finally {
            lock.unlock();
        }
    }

    /** Periodic progress: for each synced watcher that asked for it and got no events since the last round. */
    int progressNotify(List<Watcher> ws) {
        lock.lock();
        try {
            int sent = 0;
            for (Watcher w : ws) {
                if (w.progressNotify && !w.sentSinceProgress && synced.contains(w)
                        && w.stream.offer(new WatchUpdate(w.id, List.of(), notified(), 0))) {
                    sent++;
                }
                w.sentSinceProgress = false;
            }
            return sent;
        } finally {
            lock.unlock();
        }
    }

    int unsyncedCount() {
        lock.lock();
        try {
            return unsynced.size();
        } finally {
            lock.unlock();
        }
    }

    /** Looks up the previous version of event keys (at revision - 1) once per event, for watchers that want prev_kv. */
    private final class PrevKvs {
        private final Map<Event, Event> done = new IdentityHashMap<>();

        List<Event> attach(Watcher w, List<Event> evs) {
            if (!w.prevKv) {
                return evs;
            }
            List<Event> out = new ArrayList<>(evs.size());
            for (Event e : evs) {
                out.add(done.computeIfAbsent(e, this::withPrev));
            }
            return out;
        }

        private Event withPrev(Event e) {
            KeyValue kv = e.getKv();
            if (e.getType() == Event.EventType.PUT && kv.getCreateRevision() == kv.getModRevision()) {
                return e; // a creation has no previous version
            }
            try {
                MvccStore.Ranged r = store.range(kv.getKey().toByteArray(), null, kv.getModRevision() - 1, 0, false);
                return r.kvs().isEmpty() ? e : e.toBuilder().setPrevKv(r.kvs().getFirst()).build();
            } catch (MvccException compacted) {
                return e;
            }
        }
    }
}
