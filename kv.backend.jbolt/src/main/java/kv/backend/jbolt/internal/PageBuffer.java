package kv.backend.jbolt.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;

/**
 * Native memory that a commit encodes its pages into, in chunks reused from commit to commit: a
 * large commit then allocates (and zeroes) nothing on the heap per page, growing never copies what
 * is already encoded, and the gathering writes hand the kernel this memory directly instead of
 * copying heap buffers into temporary direct ones. A page run larger than a chunk gets memory of
 * its own, and chunks beyond {@link #RETAIN_CHUNKS} (one huge commit) are dropped at the next
 * {@link #reset()} rather than kept for ever.
 *
 * <p>Owned by the engine and used only by the committing writer (the write slot serializes
 * commits); not thread-safe.
 */
final class PageBuffer {
    static final long CHUNK = 4L << 20;
    private static final int RETAIN_CHUNKS = 16;

    private final ArrayList<MemorySegment> chunks = new ArrayList<>();
    /** The chunk being filled, and how much of it is reserved. */
    private int current;
    private long used;

    /** Starts a commit: every earlier reservation is given up. */
    void reset() {
        current = 0;
        used = 0;
        while (chunks.size() > RETAIN_CHUNKS) {
            chunks.removeLast();
        }
    }

    /** Reserves {@code bytes}, valid until the next {@link #reset()}; the content is unspecified. */
    MemorySegment reserve(long bytes) {
        if (bytes > CHUNK) {
            return allocate(bytes);
        }
        if (current < chunks.size() && used + bytes > CHUNK) {
            current++;
            used = 0;
        }
        if (current == chunks.size()) {
            chunks.add(allocate(CHUNK));
        }
        MemorySegment s = chunks.get(current).asSlice(used, bytes);
        used += bytes;
        return s;
    }

    private static MemorySegment allocate(long size) {
        // an automatic arena: the memory is freed once the buffer drops it and the GC notices
        return Arena.ofAuto().allocate(size, 4096);
    }
}
