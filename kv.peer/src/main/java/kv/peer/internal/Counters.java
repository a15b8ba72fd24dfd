package kv.peer.internal;

import java.util.concurrent.atomic.LongAdder;
import kv.peer.PeerStats;

/** Messages, batches and drops counted by a transport or a server. Thread-safe. */
public final class Counters {
    final LongAdder messages = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder dropped = new LongAdder();

    /** Counts {@code n} messages dropped. */
    public void dropped(int n) {
        dropped.add(n);
    }

    /** The counters now. */
    public PeerStats snapshot() {
        return new PeerStats(messages.sum(), batches.sum(), dropped.sum());
    }
}
