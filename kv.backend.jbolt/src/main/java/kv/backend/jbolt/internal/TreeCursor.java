package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import kv.backend.Cursor;

/**
 * A bidirectional cursor over one {@link Tree}: a stack of frames from the root to a leaf, each on
 * a mapped page or on a node the write transaction materialized. Inside a write transaction it
 * remembers the key it stands on, and when the transaction has written since, the next move first
 * seeks back to that key (the SPI leaves the position unspecified; this keeps it sensible).
 *
 * <p>Not thread-safe; valid while its transaction is open.
 */
final class TreeCursor implements Cursor {
    private static final class Frame {
        final Node node;
        final long base;
        final int count;
        final boolean leaf;
        int index;

        Frame(Node node, long base, int count, boolean leaf) {
            this.node = node;
            this.base = base;
            this.count = count;
            this.leaf = leaf;
        }
    }

    private final Tx tx;
    private final Tree tree;
    private final ArrayList<Frame> stack = new ArrayList<>();
    private boolean positioned;
    private long modCount;
    private byte[] savedKey;

    TreeCursor(Tx tx, Tree tree) {
        this.tx = tx;
        this.tree = tree;
    }

    @Override
    public boolean first() {
        tx.checkOpen();
        reset().index = 0;
        return settleForward();
    }

    @Override
    public boolean last() {
        tx.checkOpen();
        Frame f = reset();
        f.index = f.count - 1;
        return settleBackward();
    }

    @Override
    public boolean seek(byte[] key) {
        tx.checkOpen();
        Frame f = reset();
        while (!f.leaf) {
            f.index = f.node != null ? f.node.childIndex(key) : Page.childIndex(tx.segment(), f.base, key);
            f = push(child(f));
        }
        f.index = f.node != null ? f.node.lowerBound(key) : Page.lowerBound(tx.segment(), f.base, key);
        return settleForward();
    }

    @Override
    public boolean next() {
        tx.checkOpen();
        if (!positioned) {
            return false;
        }
        if (modCount != tx.modCount()) {
            byte[] k = savedKey;
            if (!seek(k) || !Arrays.equals(savedKey, k)) {
                return positioned;
            }
        }
        top().index++;
        return settleForward();
    }

    @Override
    public boolean prev() {
        tx.checkOpen();
        if (!positioned) {
            return false;
        }
        if (modCount != tx.modCount() && !seek(savedKey)) {
            return last();
        }
        top().index--;
        return settleBackward();
    }

    @Override
    public byte[] key() {
        Frame f = current();
        return f.node != null ? f.node.entries.get(f.index).key.clone() : Page.key(tx.segment(), f.base, f.index);
    }

    @Override
    public byte[] value() {
        Frame f = current();
        return f.node != null ? f.node.entries.get(f.index).valueCopy(tx.segment()) : Page.value(tx.segment(), f.base, f.index);
    }

    @Override
    public void close() {
        stack.clear();
        positioned = false;
    }

    private Frame current() {
        tx.checkOpen();
        if (!positioned) {
            throw new IllegalStateException("jbolt: cursor is not positioned on an entry");
        }
        return top();
    }

    private Frame reset() {
        stack.clear();
        positioned = false;
        return push(tree.root != null ? frame(tree.root) : frame(tree.rootPgid));
    }

    private Frame top() {
        return stack.getLast();
    }

    private Frame push(Frame f) {
        stack.add(f);
        return f;
    }

    private Frame frame(Node n) {
        return new Frame(n, -1, n.entries.size(), n.leaf);
    }

    private Frame frame(long pgid) {
        MemorySegment s = tx.segment();
        long base = tx.nodeBase(pgid);
        return new Frame(null, base, Page.count(s, base), Page.isLeaf(s, base));
    }

    private Frame child(Frame f) {
        if (f.node != null) {
            Node.Entry e = f.node.entries.get(f.index);
            return e.node != null ? frame(e.node) : frame(e.child);
        }
        return frame(Page.child(tx.segment(), f.base, f.index));
    }

    /** From the top frame's index, goes down to the leftmost leaf entry, skipping exhausted leaves. */
    private boolean settleForward() {
        while (true) {
            Frame f = top();
            if (!f.leaf) {
                push(child(f)).index = 0;
                continue;
            }
            if (f.index < f.count) {
                return positionedAt(true);
            }
            stack.removeLast();
            while (!stack.isEmpty() && top().index + 1 >= top().count) {
                stack.removeLast();
            }
            if (stack.isEmpty()) {
                return positionedAt(false);
            }
            top().index++;
        }
    }

    /** From the top frame's index, goes down to the rightmost leaf entry, skipping exhausted leaves. */
    private boolean settleBackward() {
        while (true) {
            Frame f = top();
            if (!f.leaf) {
                Frame c = push(child(f));
                c.index = c.count - 1;
                continue;
            }
            if (f.index >= 0) {
                return positionedAt(true);
            }
            stack.removeLast();
            while (!stack.isEmpty() && top().index <= 0) {
                stack.removeLast();
            }
            if (stack.isEmpty()) {
                return positionedAt(false);
            }
            top().index--;
        }
    }

    private boolean positionedAt(boolean on) {
        positioned = on;
        if (on && tx.writable()) {
            modCount = tx.modCount();
            savedKey = key();
        }
        if (!on) {
            stack.clear();
        }
        return on;
    }
}
