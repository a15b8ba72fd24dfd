package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import kv.backend.BackendCorruptedException;
import kv.backend.jbolt.JboltStats;

/**
 * Walks one committed state page by page. {@link #run()} verifies it: every page reachable once,
 * node pages well formed, keys strictly ascending within a page and inside the bounds their parent
 * gives, all leaves at one depth per tree, the free list disjoint from reachable pages and together
 * with them covering every page below the high-water mark, and the persisted free list equal to
 * the writer's. {@link #stats} counts instead.
 *
 * <p>Single use; not thread-safe.
 */
final class Checker {
    private final Tx tx;
    private final Freelist freelist;
    private final MemorySegment s;
    private final int pageSize;
    private final long pageCount;
    private final BitSet reached = new BitSet();
    private final List<String> problems = new ArrayList<>();
    private int leafDepth;
    // stats
    private long branchPages;
    private long leafPages;
    private long overflowLeafPages;
    private long overflowPages;
    private long keys;
    private long leafBytes;
    private int maxDepth;

    Checker(Tx tx, Freelist freelist) {
        this.tx = tx;
        this.freelist = freelist;
        this.s = tx.segment();
        this.pageSize = tx.pageSize();
        this.pageCount = tx.meta().pageCount();
    }

    List<String> run() {
        reached.set(0, 2);
        walkAll();
        checkFreelist();
        return problems;
    }

    JboltStats stats(long free, long pending, long fileSize) {
        walkAll();
        int buckets = tx.bucketNames().size();
        double fill = leafPages == 0 ? 0 : (double) leafBytes / ((leafPages + overflowLeafPages) * (double) pageSize);
        return new JboltStats(pageSize, pageCount, free, pending, fileSize, tx.txid(), buckets, keys, maxDepth,
                branchPages, leafPages, overflowPages, fill);
    }

    private void walkAll() {
        long catalog = tx.meta().catalog();
        leafDepth = -1;
        walk(catalog, null, null, 1, true, true);
        try (TreeCursor c = new TreeCursor(tx, tx.catalog())) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                String name = new String(c.key(), StandardCharsets.UTF_8);
                long root;
                try {
                    root = Tx.decodeRoot(c.value());
                } catch (BackendCorruptedException e) {
                    problems.add("bucket \"" + name + "\": " + e.getMessage());
                    continue;
                }
                leafDepth = -1;
                walk(root, null, null, 1, true, false);
            }
        }
    }

    private void walk(long pgid, byte[] lo, byte[] hi, int depth, boolean root, boolean catalog) {
        long base;
        try {
            base = tx.nodeBase(pgid);
        } catch (BackendCorruptedException e) {
            problems.add(e.getMessage());
            return;
        }
        int span = Page.overflow(s, base) + 1;
        if (span < 1 || pgid + span > pageCount) {
            problems.add("page " + pgid + ": run of " + span + " pages passes the page count " + pageCount);
            return;
        }
        for (long p = pgid; p < pgid + span; p++) {
            if (reached.get(Math.toIntExact(p))) {
                problems.add("page " + p + " is reachable twice");
                return;
            }
            reached.set(Math.toIntExact(p));
        }
        maxDepth = Math.max(maxDepth, depth);
        boolean leaf = Page.isLeaf(s, base);
        int count = Page.count(s, base);
        if (!checkShape(pgid, base, span, leaf, count, root)) {
            return;
        }
        count(leaf, span, base, count, catalog);
        byte[] prev = null;
        for (int i = 0; i < count; i++) {
            byte[] k = Page.key(s, base, i);
            if (prev != null && Arrays.compareUnsigned(prev, k) >= 0) {
                problems.add("page " + pgid + ": key " + i + " is not above key " + (i - 1));
            }
            if (lo != null && Arrays.compareUnsigned(k, lo) < 0 || hi != null && Arrays.compareUnsigned(k, hi) >= 0) {
                problems.add("page " + pgid + ": key " + i + " lies outside the range its parent gives");
            }
            prev = k;
        }
        if (leaf) {
            if (leafDepth == -1) {
                leafDepth = depth;
            } else if (leafDepth != depth) {
                problems.add("page " + pgid + ": leaf at depth " + depth + ", others at " + leafDepth);
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            byte[] childLo = Page.key(s, base, i);
            byte[] childHi = i + 1 < count ? Page.key(s, base, i + 1) : hi;
            walk(Page.child(s, base, i), childLo, childHi, depth + 1, false, catalog);
        }
    }

    private boolean checkShape(long pgid, long base, int span, boolean leaf, int count, boolean root) {
        long end = (long) span * pageSize;
        long elements = Page.HEADER + (long) count * Page.ELEMENT;
        if (count < 0 || elements > end) {
            problems.add("page " + pgid + ": " + count + " elements do not fit its " + span + " pages");
            return false;
        }
        if (span > 1 && count > (leaf ? 1 : 3)) {
            // spill splits a node to fit one page unless a single entry (or a minimal branch) is larger
            problems.add("page " + pgid + ": " + count + " elements over " + span + " pages: overfull");
        }
        if (count == 0 && (!root || !leaf)) {
            problems.add("page " + pgid + ": empty " + (leaf ? "leaf" : "branch") + " below the root");
            return false;
        }
        for (int i = 0; i < count; i++) {
            long k = Page.keyOffset(s, base, i) - base;
            long len = Page.keyLength(s, base, i) + (leaf ? Integer.toUnsignedLong(Page.valueLength(s, base, i)) : 0);
            if (k < elements || Page.keyLength(s, base, i) <= 0 || k + len > end) {
                problems.add("page " + pgid + ": element " + i + " lies outside its page run");
                return false;
            }
        }
        return true;
    }

    private void count(boolean leaf, int span, long base, int count, boolean catalog) {
        if (leaf) {
            leafPages++;
            overflowLeafPages += span - 1;
            if (!catalog) {
                keys += count;
            }
            for (int i = 0; i < count; i++) {
                leafBytes += Page.ELEMENT + Page.keyLength(s, base, i) + Page.valueLength(s, base, i);
            }
        } else {
            branchPages++;
        }
        overflowPages += span - 1;
    }

    private void checkFreelist() {
        Meta m = tx.meta();
        long base = m.freelist() * pageSize;
        long[] persisted;
        try {
            persisted = Layout.readFreelist(s, m, tx.file());
        } catch (BackendCorruptedException e) {
            problems.add(e.getMessage());
            return;
        }
        int span = Page.overflow(s, base) + 1;
        for (long p = m.freelist(); p < m.freelist() + span; p++) {
            if (reached.get(Math.toIntExact(p))) {
                problems.add("free-list page " + p + " is also reachable from a tree");
            }
            reached.set(Math.toIntExact(p));
        }
        for (long p : persisted) {
            if (reached.get(Math.toIntExact(p))) {
                problems.add("page " + p + " is both free and reachable");
            }
        }
        BitSet all = (BitSet) reached.clone();
        for (long p : persisted) {
            all.set(Math.toIntExact(p));
        }
        int missing = all.nextClearBit(0);
        if (missing < pageCount) {
            problems.add("page " + missing + " is neither reachable nor free (" + (pageCount - all.cardinality())
                    + " pages unaccounted for)");
        }
        if (freelist != null && !Arrays.equals(persisted, freelist.all())) {
            problems.add("the persisted free list (" + persisted.length + " pages) differs from the writer's ("
                    + freelist.all().length + " pages)");
        }
    }
}
