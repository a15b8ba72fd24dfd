package kv.backend.jbolt.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The pages one commit frees, allocates and writes. Pages are allocated from the free list (never
 * from pending pages, which readers may still see) or past the high-water mark, and are written in
 * page order once everything is spilled.
 *
 * <p>Owned by the committing writer; not thread-safe.
 */
final class Commit {
    /** A page run to write at page {@code pgid}: {@code bytes} spans whole pages. */
    private record PageWrite(long pgid, MemorySegment bytes) {}

    private static final int MAX_GATHER = 512;
    private static final long MAX_GATHER_BYTES = 8L << 20;

    private final Freelist freelist;
    /** The committing transaction's map, where unchanged values of changed leaves are copied from. */
    private final MemorySegment source;
    private final int pageSize;
    private long pageCount;
    private long[] freed = new long[16];
    private int freedCount;
    private final List<PageWrite> writes = new ArrayList<>();
    private final PageBuffer buffer;

    Commit(Freelist freelist, int pageSize, long pageCount, MemorySegment source, PageBuffer buffer) {
        this.freelist = freelist;
        this.buffer = buffer;
        buffer.reset();
        this.source = source;
        this.pageSize = pageSize;
        this.pageCount = pageCount;
    }

    long pageCount() {
        return pageCount;
    }

    void free(long pgid, int span) {
        for (int i = 0; i < span; i++) {
            if (freedCount == freed.length) {
                freed = Arrays.copyOf(freed, freed.length * 2);
            }
            freed[freedCount++] = pgid + i;
        }
    }

    long[] freedIds() {
        long[] out = Arrays.copyOf(freed, freedCount);
        Arrays.sort(out);
        return out;
    }

    long allocate(int span) {
        long id = freelist.allocate(span);
        if (id == 0) {
            id = pageCount;
            pageCount += span;
        }
        return id;
    }

    long writeNode(boolean leaf, List<Node.Entry> group) {
        long size = Node.sizeOf(leaf, group);
        int span = Node.spanOf(size, pageSize);
        long id = allocate(span);
        MemorySegment out = buffer.reserve((long) span * pageSize);
        Node.encode(leaf, group, id, size, pageSize, source, out, 0);
        writes.add(new PageWrite(id, out));
        return id;
    }

    /** Allocates and queues the free-list page run holding every free and pending page of {@code list}. */
    long writeFreelist(Freelist list) {
        long upperBound = list.freeCount() + list.pendingCount();
        // the run is sized before allocating, which can only shrink the list: it may keep a spare page
        int span = Node.spanOf(Page.HEADER + 8 * upperBound, pageSize);
        long id = allocate(span);
        long[] ids = list.all();
        long bytes = (long) span * pageSize;
        MemorySegment out = buffer.reserve(bytes);
        out.set(Page.LONG, 0, id);
        out.set(Page.INT, 8, Page.FREELIST);
        out.set(Page.INT, 12, ids.length);
        out.set(Page.INT, 16, span - 1);
        out.set(Page.INT, 20, 0);
        MemorySegment.copy(ids, 0, out, Page.LONG, Page.HEADER, ids.length);
        long end = Page.HEADER + 8L * ids.length;
        out.asSlice(end, bytes - end).fill((byte) 0);
        writes.add(new PageWrite(id, out));
        return id;
    }

    /**
     * Writes every queued page run at its position, runs that touch each other in one gathering
     * write (freshly allocated pages are mostly contiguous, and one system call per page is what a
     * large commit would otherwise cost). Only the committing writer moves the channel's position.
     */
    void flush(FileChannel channel) throws IOException {
        writes.sort(Comparator.comparingLong(PageWrite::pgid));
        int i = 0;
        while (i < writes.size()) {
            int j = i + 1;
            long bytes = writes.get(i).bytes().byteSize();
            long next = writes.get(i).pgid() + bytes / pageSize;
            while (j < writes.size() && j - i < MAX_GATHER && bytes < MAX_GATHER_BYTES && writes.get(j).pgid() == next) {
                long b = writes.get(j).bytes().byteSize();
                next += b / pageSize;
                bytes += b;
                j++;
            }
            ByteBuffer[] run = new ByteBuffer[j - i];
            for (int k = i; k < j; k++) {
                run[k - i] = writes.get(k).bytes().asByteBuffer();
            }
            write(channel, run, writes.get(i).pgid() * pageSize, bytes);
            i = j;
        }
    }

    private static void write(FileChannel channel, ByteBuffer[] run, long pos, long bytes) throws IOException {
        if (run.length == 1) {
            // a lone run (often a reused free page between pages still in use): one positional write
            // instead of a seek and a gathering write
            while (run[0].hasRemaining()) {
                pos += channel.write(run[0], pos);
            }
            return;
        }
        channel.position(pos);
        long left = bytes;
        while (left > 0) {
            left -= channel.write(run);
        }
    }
}
