package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kv.backend.jbolt.internal.Node.Entry;

/**
 * One B+tree (a bucket, or the bucket catalog) as seen by one transaction. Reads walk pages in
 * place through the transaction's map, switching to materialized nodes where the write transaction
 * has changed the path. Writes materialize the path from the root to the leaf; the commit then
 * {@link #rebalance() rebalances} and {@link #spill spills} the materialized nodes to new pages.
 *
 * <p>Branch entries carry the smallest key of their child (a lower bound once keys are deleted);
 * entry 0 also takes every key below it. Owned by its transaction; not thread-safe.
 */
final class Tree {
    /**
     * A node that grows past this many entries inside one transaction is split at once rather than at
     * commit, which keeps insertion into its entry list cheap in large transactions.
     */
    private static final int EAGER_SPLIT_ENTRIES = 256;

    private final Tx tx;
    /** The root page at the start of the transaction (0 for a tree created in it). */
    final long originalRoot;
    long rootPgid;
    Node root;

    Tree(Tx tx, long rootPgid) {
        this.tx = tx;
        this.originalRoot = rootPgid;
        this.rootPgid = rootPgid;
    }

    static Tree empty(Tx tx) {
        Tree t = new Tree(tx, 0);
        t.root = new Node(true, new ArrayList<>());
        return t;
    }

    boolean dirty() {
        return root != null;
    }

    Tx tx() {
        return tx;
    }

    /** The value of key (a copy), or null. */
    byte[] get(byte[] key) {
        return find(key, true);
    }

    boolean contains(byte[] key) {
        return find(key, false) != null;
    }

    private byte[] find(byte[] key, boolean copy) {
        Node n = root;
        long pg = rootPgid;
        while (true) {
            if (n != null) {
                if (n.leaf) {
                    int i = n.lowerBound(key);
                    if (i < n.entries.size() && Arrays.equals(n.entries.get(i).key, key)) {
                        return copy ? n.entries.get(i).valueCopy(tx.segment()) : key;
                    }
                    return null;
                }
                Entry e = n.entries.get(n.childIndex(key));
                n = e.node;
                pg = e.child;
            } else {
                MemorySegment s = tx.segment();
                long base = tx.nodeBase(pg);
                if (Page.isLeaf(s, base)) {
                    int i = Page.lowerBound(s, base, key);
                    if (i < Page.count(s, base) && Page.compareKey(s, base, i, key) == 0) {
                        return copy ? Page.value(s, base, i) : key;
                    }
                    return null;
                }
                pg = Page.child(s, base, Page.childIndex(s, base, key));
            }
        }
    }

    void put(byte[] key, byte[] value) {
        Node leaf = leafFor(key);
        leaf.put(key, value);
        if (leaf.entries.size() >= Math.max(EAGER_SPLIT_ENTRIES, leaf.splitFloor)) {
            splitNow(leaf);
        }
    }

    boolean delete(byte[] key) {
        if (!contains(key)) {
            return false;
        }
        return leafFor(key).remove(key);
    }

    Node rootNode() {
        if (root == null) {
            root = tx.readNode(rootPgid);
        }
        return root;
    }

    Node child(Node parent, int i) {
        Entry e = parent.entries.get(i);
        if (e.node == null) {
            e.node = tx.readNode(e.child);
            e.node.parent = parent;
        }
        return e.node;
    }

    private Node leafFor(byte[] key) {
        Node n = rootNode();
        while (!n.leaf) {
            n = child(n, n.childIndex(key));
        }
        return n;
    }

    /** Splits an oversized node now (bounding insertion cost in huge transactions). */
    private void splitNow(Node n) {
        List<List<Entry>> groups = n.split(tx.pageSize());
        if (groups.size() == 1) {
            n.splitFloor = 2 * n.entries.size(); // many small entries fit one page: look again later
            return;
        }
        List<ArrayList<Entry>> copies = new ArrayList<>();
        for (List<Entry> g : groups) {
            copies.add(new ArrayList<>(g));
        }
        Node p = n.parent;
        if (p == null) {
            p = new Node(false, new ArrayList<>());
            Entry top = new Entry(n.entries.getFirst().key, null, 0);
            top.node = n;
            p.entries.add(top);
            n.parent = p;
            root = p;
        }
        int at = p.indexOf(n);
        n.entries.clear();
        n.entries.addAll(copies.getFirst());
        for (int g = 1; g < copies.size(); g++) {
            Node m = new Node(n.leaf, copies.get(g));
            m.parent = p;
            for (Entry e : m.entries) {
                if (e.node != null) {
                    e.node.parent = m;
                }
            }
            Entry pe = new Entry(m.entries.getFirst().key, null, 0);
            pe.node = m;
            p.entries.add(at + g, pe);
        }
        if (p.entries.size() >= Math.max(EAGER_SPLIT_ENTRIES, p.splitFloor)) {
            splitNow(p);
        }
    }

    /** Merges underfilled materialized nodes into a sibling and collapses a root with one child. */
    void rebalance() {
        if (root == null) {
            return;
        }
        rebalance(root);
        while (!root.leaf && root.entries.size() == 1) {
            Node only = child(root, 0);
            tx.free(root);
            only.parent = null;
            root = only;
        }
    }

    private void rebalance(Node n) {
        if (n.leaf) {
            return;
        }
        for (int i = 0; i < n.entries.size(); i++) {
            Node c = n.entries.get(i).node;
            if (c != null) {
                rebalance(c);
            }
        }
        int i = 0;
        while (i < n.entries.size()) {
            Node c = n.entries.get(i).node;
            if (c != null && n.entries.size() > 1 && underfilled(c)) {
                i = mergeWithSibling(n, i);
            } else {
                i++;
            }
        }
    }

    private boolean underfilled(Node n) {
        return n.entries.size() < (n.leaf ? 1 : 2) || !n.sizeAtLeast(tx.pageSize() / 4);
    }

    /** Merges child i of n with a neighbour; returns the index to look at next. */
    private int mergeWithSibling(Node n, int i) {
        Node c = n.entries.get(i).node;
        if (c.entries.isEmpty()) {
            n.entries.remove(i);
            tx.free(c);
            return i;
        }
        int left = i > 0 ? i - 1 : i;
        Node into = child(n, left);
        Node from = child(n, left + 1);
        for (Entry e : from.entries) {
            if (e.node != null) {
                e.node.parent = into;
            }
        }
        into.entries.addAll(from.entries);
        n.entries.remove(left + 1);
        tx.free(from);
        if (!into.leaf) {
            rebalance(into); // the merged-in children may be underfilled next to their new siblings
        }
        return underfilled(into) ? left : left + 1;
    }

    /**
     * Writes every materialized node to newly allocated pages (freeing the pages they came from) and
     * returns the new root page.
     */
    long spill() {
        if (root == null) {
            return rootPgid;
        }
        List<Entry> pieces = spill(root);
        while (pieces.size() > 1) {
            Node up = new Node(false, new ArrayList<>(pieces));
            pieces = spill(up);
        }
        rootPgid = pieces.getFirst().child;
        root = null;
        return rootPgid;
    }

    private List<Entry> spill(Node n) {
        if (!n.leaf) {
            ArrayList<Entry> replaced = new ArrayList<>(n.entries.size() + 4);
            for (Entry e : n.entries) {
                if (e.node == null) {
                    replaced.add(e);
                } else {
                    replaced.addAll(spill(e.node));
                }
            }
            n.entries.clear();
            n.entries.addAll(replaced);
        }
        tx.free(n);
        if (n.entries.isEmpty()) {
            // an emptied node below the root disappears (a merge can carry one into a sibling after
            // that sibling was rebalanced); an empty root becomes an empty leaf
            return n == root ? List.of(new Entry(new byte[0], null, tx.write(true, List.of()))) : List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (List<Entry> group : n.split(tx.pageSize())) {
            long pgid = tx.write(n.leaf, group);
            out.add(new Entry(group.getFirst().key, null, pgid));
        }
        return out;
    }

    /** Frees every page of the tree as it was at the start of the transaction. */
    void freeOriginal() {
        if (originalRoot != 0) {
            freePages(originalRoot);
        }
    }

    private void freePages(long pgid) {
        MemorySegment s = tx.segment();
        long base = tx.nodeBase(pgid);
        tx.free(pgid, Page.overflow(s, base) + 1);
        if (!Page.isLeaf(s, base)) {
            int n = Page.count(s, base);
            for (int i = 0; i < n; i++) {
                freePages(Page.child(s, base, i));
            }
        }
    }
}
