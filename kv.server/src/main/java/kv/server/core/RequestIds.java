package kv.server.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for proposals, unique across members and restarts as etcd makes them: the low 16 bits of the
 * member id, then the start time in milliseconds, then a counter. Thread-safe.
 */
final class RequestIds {
    private final AtomicLong next;

    RequestIds(long memberId, long startMillis) {
        long prefix = (memberId & 0xffffL) << 48;
        long time = (startMillis & 0xffffffffffL) << 8;
        this.next = new AtomicLong(prefix | time);
    }

    long next() {
        return next.incrementAndGet();
    }
}
