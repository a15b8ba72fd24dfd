package kv.mvcc;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.WatchCreateRequest;

/**
 * A group of watchers sharing one bounded buffer of {@link WatchUpdate}s, as one etcd Watch gRPC
 * stream. The store never blocks on a full buffer: a watcher whose update does not fit is parked
 * and caught up later by {@link MvccStore#syncWatchers()}, from the backend, in order.
 *
 * <p>Thread-safe: watchers may be added and cancelled from any thread while one consumer takes
 * updates with {@link #poll()}. Lifetime: until {@link #close()} (or the store's close), which
 * cancels every watcher.
 */
public final class WatchStream implements AutoCloseable {
    private final WatcherHub hub;
    private final BlockingQueue<WatchUpdate> buffer;
    private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
    private long nextId;
    private volatile boolean closed;

    WatchStream(WatcherHub hub) {
        this.hub = hub;
        this.buffer = new ArrayBlockingQueue<>(hub.bufferSize());
        hub.opened(this);
    }

    /**
     * Starts a watcher as etcd's WatchCreateRequest describes it: {@code range_end} empty for one
     * key, {@code "\0"} for every key from {@code key} on; {@code start_revision} 0 for "from now";
     * {@code watch_id} 0 to let the stream pick. Returns the watcher's id.
     *
     * @throws MvccException DUPLICATE_WATCH_ID when the requested id is in use on this stream,
     *     EMPTY_WATCHER_RANGE when {@code range_end <= key}
     */
    public long watch(WatchCreateRequest r) {
        byte[] end = r.getRangeEnd().isEmpty() ? null : r.getRangeEnd().toByteArray();
        if (end != null && end.length == 1 && end[0] == 0) {
            end = new byte[0];
        }
        Set<WatchFilter> filters = EnumSet.noneOf(WatchFilter.class);
        for (WatchCreateRequest.FilterType f : r.getFiltersList()) {
            switch (f) {
                case NOPUT -> filters.add(WatchFilter.NOPUT);
                case NODELETE -> filters.add(WatchFilter.NODELETE);
                case UNRECOGNIZED -> { } // etcd ignores unknown filter values
            }
        }
        return watch(r.getWatchId(), r.getKey().toByteArray(), end, r.getStartRevision(), filters, r.getPrevKv(),
                r.getProgressNotify());
    }

    /**
     * Starts a watcher on {@code key} ({@code end == null}) or on [key, end) ({@code end} empty: to
     * the last key), from {@code startRev} (0: the next revision). Returns its id.
     */
    public long watch(long requestedId, byte[] key, byte[] end, long startRev, Set<WatchFilter> filters,
            boolean prevKv, boolean progressNotify) {
        if (end != null && end.length > 0 && kv.backend.Bytes.compare(key, end) >= 0) {
            throw MvccError.EMPTY_WATCHER_RANGE.exception();
        }
        Watcher w;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("watch stream is closed");
            }
            long id = requestedId;
            if (id == 0) {
                while (watchers.containsKey(nextId)) {
                    nextId++;
                }
                id = nextId++;
            } else if (watchers.containsKey(id)) {
                throw MvccError.DUPLICATE_WATCH_ID.exception();
            }
            w = new Watcher(id, key.clone(), end == null ? null : end.clone(), filters.contains(WatchFilter.NOPUT),
                    filters.contains(WatchFilter.NODELETE), prevKv, progressNotify, this);
            watchers.put(id, w);
        }
        hub.add(w, startRev);
        return w.id;
    }

    /** Cancels watcher {@code id}; returns whether it existed. Updates already buffered stay. */
    public boolean cancel(long id) {
        Watcher w = watchers.remove(id);
        return w != null && hub.remove(w);
    }

    /** Queues a progress notification for watcher {@code id} if it is synced; returns whether it did. */
    public boolean requestProgress(long id) {
        Watcher w = watchers.get(id);
        return w != null && hub.progress(w);
    }

    /**
     * Queues one progress notification with watch id -1 if every watcher of the stream is synced
     * (etcd's on-demand progress); returns whether it did (if not, ask again later).
     */
    public boolean requestProgressAll() {
        return hub.progressAll(this, List.copyOf(watchers.values()));
    }

    /** The periodic progress round: notifies watchers that asked for it and got no events since the last round. */
    public int progressNotify() {
        return hub.progressNotify(List.copyOf(watchers.values()));
    }

    /** The next update, or {@code null} if none is buffered. */
    public WatchUpdate poll() {
        return buffer.poll();
    }

    /** The next update, waiting up to {@code timeout}; {@code null} if none came. */
    public WatchUpdate poll(Duration timeout) throws InterruptedException {
        return buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ids of the stream's live watchers. */
    public Set<Long> watchIds() {
        return Set.copyOf(watchers.keySet());
    }

    boolean offer(WatchUpdate u) {
        return !closed && buffer.offer(u);
    }

    /** Drops a watcher the hub removed (it fell behind a compaction). */
    void forget(long id) {
        watchers.remove(id);
    }

    /** Cancels every watcher. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Watcher w : List.copyOf(watchers.values())) {
            cancel(w.id);
        }
        hub.closed(this);
    }
}
