package kv.backend.jbolt.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One generation of the read-only memory map of the data file, reference counted. The engine holds
 * one reference while the mapping is current; every transaction holds one while it is open. When
 * the file grows the engine maps a new, larger generation and drops its reference to the old one,
 * which is unmapped when the last transaction using it ends, so growth never waits for readers.
 *
 * <p>Thread-safe.
 */
final class Mapping {
    private final Arena arena;
    private final MemorySegment segment;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean unmapped = new AtomicBoolean();

    private Mapping(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    /** Maps {@code size} bytes of the file; a writable channel extends the file to that size first. */
    static Mapping map(FileChannel channel, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return new Mapping(arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    MemorySegment segment() {
        return segment;
    }

    long size() {
        return segment.byteSize();
    }

    /** Adds a user; only valid while the caller knows the mapping is still referenced (it is current). */
    void acquire() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("mapping already released");
        }
    }

    /** Drops a user; the last one unmaps. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            unmap();
        }
    }

    /** Unmaps now, whoever still uses it (backend close): their later reads fail and are reported as closed. */
    void unmap() {
        if (unmapped.compareAndSet(false, true)) {
            arena.close();
        }
    }

    boolean isUnmapped() {
        return unmapped.get();
    }
}
