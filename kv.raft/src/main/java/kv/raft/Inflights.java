package kv.raft;

/**
 * The append messages sent to one follower and not yet acknowledged, as the last index each
 * carried; a ring buffer of bounded size. Not thread-safe.
 */
final class Inflights {
    private final long[] buffer;
    private int start;
    private int count;

    Inflights(int size) {
        this.buffer = new long[size];
    }

    void add(long index) {
        if (full()) {
            throw new IllegalStateException("cannot add into a full inflights");
        }
        buffer[(start + count) % buffer.length] = index;
        count++;
    }

    /** Frees every message up to and including index {@code to}. */
    void freeLE(long to) {
        if (count == 0 || to < buffer[start]) {
            return;
        }
        int i = 0;
        int idx = start;
        for (; i < count; i++) {
            if (to < buffer[idx]) {
                break;
            }
            idx = (idx + 1) % buffer.length;
        }
        count -= i;
        start = count == 0 ? 0 : idx;
    }

    void freeFirstOne() {
        if (count > 0) {
            freeLE(buffer[start]);
        }
    }

    boolean full() {
        return count == buffer.length;
    }

    int count() {
        return count;
    }

    void reset() {
        count = 0;
        start = 0;
    }
}
