package kv.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kv.api.mvccpb.Event;
import kv.backend.Bytes;

/**
 * One watcher: a key or a range, filters, and the next revision it needs ({@code minRev}). Its
 * mutable state is guarded by {@link WatcherHub}'s lock.
 */
final class Watcher {
    final long id;
    final byte[] key;
    final byte[] end; // null: the single key; empty: every key from key on
    final String keyString;
    final boolean noPut;
    final boolean noDelete;
    final boolean prevKv;
    final boolean progressNotify;
    final WatchStream stream;
    long minRev;
    boolean sentSinceProgress;

    Watcher(long id, byte[] key, byte[] end, boolean noPut, boolean noDelete, boolean prevKv, boolean progressNotify,
            WatchStream stream) {
        this.id = id;
        this.key = key;
        this.end = end;
        this.keyString = new String(key, StandardCharsets.ISO_8859_1);
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.prevKv = prevKv;
        this.progressNotify = progressNotify;
        this.stream = stream;
    }

    boolean isRange() {
        return end != null;
    }

    boolean matches(byte[] k) {
        if (end == null) {
            return Bytes.compare(k, key) == 0;
        }
        return Bytes.compare(k, key) >= 0 && (end.length == 0 || Bytes.compare(k, end) < 0);
    }

    /** The events this watcher wants out of {@code evs} (whose keys are {@code keys}): its range, revision and filters. */
    List<Event> select(List<Event> evs, List<byte[]> keys) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < evs.size(); i++) {
            Event e = evs.get(i);
            if (e.getKv().getModRevision() < minRev || !matches(keys.get(i))) {
                continue;
            }
            boolean put = e.getType() == Event.EventType.PUT;
            if ((put && noPut) || (!put && noDelete)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }
}
