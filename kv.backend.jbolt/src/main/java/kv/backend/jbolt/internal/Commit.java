package kv.backend.jbolt.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private record PageWrite(long pgid, ByteBuffer bytes) {}

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

    Commit(Freelist freelist, int pageSize, long pageCount, MemorySegment source) {
        this.freelist = freelist;
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
        long size = Page.HEADER;
        for (Node.Entry e : group) {
            size += e.size(leaf);
        }
        long id = allocate(Node.spanOf(size, pageSize));
        writes.add(new PageWrite(id, Node.encode(leaf, group, id, pageSize, source)));
        return id;
    }

    /** Allocates and queues the free-list page run holding every free and pending page of {@code list}. */
    long writeFreelist(Freelist list) {
        long upperBound = list.freeCount() + list.pendingCount();
        // the run is sized before allocating, which can only shrink the list: it may keep a spare page
        int span = Node.spanOf(Page.HEADER + 8 * upperBound, pageSize);
        long id = allocate(span);
        long[] ids = list.all();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact((long) span * pageSize)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(id).putInt(Page.FREELIST).putInt(ids.length).putInt(span - 1).putInt(0);
        for (long p : ids) {
            b.putLong(p);
        }
        b.clear();
        writes.add(new PageWrite(id, b));
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
            long next = end(writes.get(i));
            long bytes = writes.get(i).bytes().remaining();
            while (j < writes.size() && j - i < MAX_GATHER && bytes < MAX_GATHER_BYTES && writes.get(j).pgid() == next) {
                next = end(writes.get(j));
                bytes += writes.get(j).bytes().remaining();
                j++;
            }
            ByteBuffer[] run = new ByteBuffer[j - i];
            for (int k = i; k < j; k++) {
                run[k - i] = writes.get(k).bytes();
            }
            channel.position(writes.get(i).pgid() * pageSize);
            long left = bytes;
            while (left > 0) {
                left -= channel.write(run);
            }
            i = j;
        }
    }

    private long end(PageWrite w) {
        return w.pgid() + w.bytes().remaining() / pageSize;
    }
}
