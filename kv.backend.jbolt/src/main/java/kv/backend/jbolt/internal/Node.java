package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A page decoded into memory by the write transaction so that it can be changed: copy-on-write
 * starts here. A node remembers the page run it came from ({@code pgid}, {@code span}; 0 when new)
 * so that the commit can free it when the node is written elsewhere. Branch entries point at a
 * child page and, once that child is materialized too, at its node.
 *
 * <p>Owned by one write transaction; not thread-safe.
 */
final class Node {
    /**
     * One element: a leaf's key and value, or a branch's first key and child. A value read from a
     * page stays in the map ({@code value == null}, at {@code valueAt}) until it is replaced: the
     * pages a write transaction read are not overwritten before it ends, and most values of a
     * changed leaf are only carried over to the new page.
     */
    static final class Entry {
        byte[] key;
        byte[] value;
        long child;
        Node node;
        long valueAt;
        int valueLength;

        Entry(byte[] key, byte[] value, long child) {
            this.key = key;
            this.value = value;
            this.child = child;
        }

        int valueLength() {
            return value != null ? value.length : valueLength;
        }

        /** A copy of the value, read from {@code s} (the transaction's map) when it was never replaced. */
        byte[] valueCopy(MemorySegment s) {
            return value != null ? value.clone() : Page.copy(s, valueAt, valueLength);
        }

        long size(boolean leaf) {
            return Page.ELEMENT + key.length + (leaf ? valueLength() : 0);
        }
    }

    final boolean leaf;
    long pgid;
    int span;
    Node parent;
    /** Entry count below which the write transaction does not try to split this node early. */
    int splitFloor;
    final ArrayList<Entry> entries;

    Node(boolean leaf, ArrayList<Entry> entries) {
        this.leaf = leaf;
        this.entries = entries;
    }

    /** Decodes the page run at {@code base}. */
    static Node read(MemorySegment s, long base, long pgid) {
        boolean leaf = Page.isLeaf(s, base);
        int n = Page.count(s, base);
        ArrayList<Entry> entries = new ArrayList<>(n + 4);
        long element = base + Page.HEADER;
        for (int i = 0; i < n; i++, element += Page.ELEMENT) {
            long keyAt = base + Integer.toUnsignedLong(s.get(Page.INT, element));
            byte[] key = Page.copy(s, keyAt, s.get(Page.INT, element + 4));
            if (leaf) {
                Entry e = new Entry(key, null, 0);
                e.valueAt = keyAt + key.length;
                e.valueLength = s.get(Page.INT, element + 8);
                entries.add(e);
            } else {
                entries.add(new Entry(key, null, s.get(Page.LONG, element + 8)));
            }
        }
        Node node = new Node(leaf, entries);
        node.pgid = pgid;
        node.span = Page.overflow(s, base) + 1;
        return node;
    }

    /** Index of the first entry with key {@code >= key} (leaf search). */
    int lowerBound(byte[] key) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(entries.get(mid).key, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the child whose range holds {@code key} (branch search). */
    int childIndex(byte[] key) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(entries.get(mid).key, key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(0, lo - 1);
    }

    /** Sets key to value in a leaf; both arrays are owned by the node from now on. */
    void put(byte[] key, byte[] value) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Entry e = entries.get(mid);
            int c = Arrays.compareUnsigned(e.key, key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                e.value = value;
                return;
            }
        }
        entries.add(lo, new Entry(key, value, 0));
    }

    /** Removes key from a leaf; returns whether it was there. */
    boolean remove(byte[] key) {
        int i = lowerBound(key);
        if (i < entries.size() && Arrays.equals(entries.get(i).key, key)) {
            entries.remove(i);
            return true;
        }
        return false;
    }

    long size() {
        long s = Page.HEADER;
        for (Entry e : entries) {
            s += e.size(leaf);
        }
        return s;
    }

    /** Whether the node takes at least {@code bytes}: stops adding up sizes once it does. */
    boolean sizeAtLeast(long bytes) {
        long s = Page.HEADER;
        for (int i = 0, n = entries.size(); i < n && s < bytes; i++) {
            s += entries.get(i).size(leaf);
        }
        return s >= bytes;
    }

    int indexOf(Node child) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).node == child) {
                return i;
            }
        }
        throw new IllegalStateException("jbolt: child node not found in its parent");
    }

    /**
     * Splits the entries into groups that each fit a page where possible, of about equal size, with
     * at least one entry per leaf group and two per branch group (a single oversized entry makes a
     * group of its own that spans several pages).
     */
    List<List<Entry>> split(int pageSize) {
        long total = size();
        if (total <= pageSize || entries.size() <= (leaf ? 1 : 3)) {
            return List.of(entries);
        }
        long pieces = (total + pageSize - 1) / pageSize;
        long target = total / pieces;
        int min = leaf ? 1 : 2;
        List<List<Entry>> groups = new ArrayList<>();
        int from = 0;
        int prevFrom = 0;
        long groupSize = Page.HEADER;
        for (int i = 0; i < entries.size(); i++) {
            long es = entries.get(i).size(leaf);
            int inGroup = i - from;
            if (inGroup >= min && (groupSize + es > pageSize || groupSize >= target)) {
                groups.add(entries.subList(from, i));
                prevFrom = from;
                from = i;
                groupSize = Page.HEADER;
            }
            groupSize += es;
        }
        if (entries.size() - from < min && !groups.isEmpty()) {
            // a branch needs two children: take one from the previous group, or join it when it has only two
            groups.removeLast();
            if (from - prevFrom > min) {
                groups.add(entries.subList(prevFrom, from - 1));
                from = from - 1;
            } else {
                from = prevFrom;
            }
        }
        groups.add(entries.subList(from, entries.size()));
        return groups;
    }

    /** Bytes {@code group} takes in a page run: header, element table, keys and (in a leaf) values. */
    static long sizeOf(boolean leaf, List<Entry> group) {
        long size = Page.HEADER;
        for (Entry e : group) {
            size += e.size(leaf);
        }
        return size;
    }

    /** Serializes {@code group} as a node page run starting at page {@code pgid} into a new heap buffer. */
    static ByteBuffer encode(boolean leaf, List<Entry> group, long pgid, int pageSize, MemorySegment s) {
        long size = sizeOf(leaf, group);
        byte[] page = new byte[Math.toIntExact((long) spanOf(size, pageSize) * pageSize)];
        encode(leaf, group, pgid, size, pageSize, s, MemorySegment.ofArray(page), 0);
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Serializes {@code group} ({@link #sizeOf} bytes: {@code size}) as a node page run starting at
     * page {@code pgid} into {@code out} at {@code at}, zeroing the rest of its last page; {@code s}
     * holds the values that were never replaced.
     */
    static void encode(boolean leaf, List<Entry> group, long pgid, long size, int pageSize, MemorySegment s,
            MemorySegment out, long at) {
        int span = spanOf(size, pageSize);
        out.set(Page.LONG, at, pgid);
        out.set(Page.INT, at + 8, leaf ? Page.LEAF : Page.BRANCH);
        out.set(Page.INT, at + 12, group.size());
        out.set(Page.INT, at + 16, span - 1);
        out.set(Page.INT, at + 20, 0);
        long element = at + Page.HEADER;
        long data = Page.HEADER + (long) group.size() * Page.ELEMENT;
        for (Entry e : group) {
            int kl = e.key.length;
            out.set(Page.INT, element, (int) data);
            out.set(Page.INT, element + 4, kl);
            MemorySegment.copy(e.key, 0, out, ValueLayout.JAVA_BYTE, at + data, kl);
            data += kl;
            if (leaf) {
                int vl = e.valueLength();
                out.set(Page.INT, element + 8, vl);
                out.set(Page.INT, element + 12, 0);
                if (e.value != null) {
                    MemorySegment.copy(e.value, 0, out, ValueLayout.JAVA_BYTE, at + data, vl);
                } else {
                    MemorySegment.copy(s, e.valueAt, out, at + data, vl);
                }
                data += vl;
            } else {
                out.set(Page.LONG, element + 8, e.child);
            }
            element += Page.ELEMENT;
        }
        out.asSlice(at + data, (long) span * pageSize - data).fill((byte) 0);
    }

    static int spanOf(long bytes, int pageSize) {
        return Math.toIntExact((bytes + pageSize - 1) / pageSize);
    }
}
