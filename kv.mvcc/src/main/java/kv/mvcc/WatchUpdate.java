package kv.mvcc;

import java.util.List;
import kv.api.mvccpb.Event;

/**
 * What a watch stream delivers: the events of one watcher, or a progress notification (no
 * events), or the news that the watcher fell behind a compaction (then it is gone).
 *
 * <p>Events are in revision order and a revision's events are never split over two updates (the
 * server may fragment a large update on the wire, see {@link #sizeBytes()}).
 *
 * @param watchId the watcher, or -1 for a stream-wide progress notification
 * @param events the events, possibly empty
 * @param revision the store revision the update is current to: every event up to it has been
 *     delivered to this watcher
 * @param compactRevision non-zero when the watcher's next revision was compacted: the watcher has
 *     been removed and the client must restart from at least this revision
 */
public record WatchUpdate(long watchId, List<Event> events, long revision, long compactRevision) {
    public WatchUpdate {
        events = List.copyOf(events);
    }

    /** Whether this is a progress notification (no events, not a compaction). */
    public boolean isProgress() {
        return events.isEmpty() && compactRevision == 0;
    }

    /** Serialized size of the events, for fragmenting. */
    public long sizeBytes() {
        long n = 0;
        for (Event e : events) {
            n += e.getSerializedSize();
        }
        return n;
    }
}
