package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kv.backend.Backend;
import kv.backend.BackendCorruptedException;
import kv.backend.BucketNotFoundException;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.KeyTooLargeException;
import kv.backend.TransactionClosedException;
import kv.backend.ValueTooLargeException;
import kv.backend.jbolt.JboltBucket;
import kv.backend.jbolt.JboltTx;

/**
 * A jbolt transaction: a read view pinned to one committed {@link Meta} and one {@link Mapping}
 * generation, plus, when writable, the materialized trees it changed. The commit rebalances and
 * spills every changed tree, writes the free list, and hands the pages and the new meta to the
 * {@link Engine}.
 *
 * <p>Not thread-safe; one thread at a time.
 */
final class Tx implements JboltTx {
    private final Engine engine;
    private final Meta meta;
    private final Mapping mapping;
    private final MemorySegment segment;
    private final boolean writable;
    private final Tree catalog;
    private final Map<String, Tree> trees = new HashMap<>();
    private final List<Tree> dropped = new ArrayList<>();
    private boolean done;
    private long modCount;
    private Commit commit;

    Tx(Engine engine, Meta meta, Mapping mapping, boolean writable) {
        this.engine = engine;
        this.meta = meta;
        this.mapping = mapping;
        this.segment = mapping.segment();
        this.writable = writable;
        this.catalog = new Tree(this, meta.catalog());
    }

    // ---- JboltTx

    @Override
    public long txid() {
        return meta.txid();
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public JboltBucket bucket(String name) {
        checkOpen();
        Tree t = tree(name);
        return t == null ? null : new Bucket(name, t);
    }

    @Override
    public JboltBucket createBucket(String name) {
        checkWritable();
        byte[] nb = bucketKey(name);
        Tree t = tree(name);
        if (t == null) {
            t = Tree.empty(this);
            trees.put(name, t);
            catalog.put(nb, encodeRoot(0));
            modCount++;
        }
        return new Bucket(name, t);
    }

    @Override
    public boolean deleteBucket(String name) {
        checkWritable();
        Tree t = tree(name);
        if (t == null) {
            return false;
        }
        trees.remove(name);
        dropped.add(t);
        catalog.delete(bucketKey(name));
        modCount++;
        return true;
    }

    @Override
    public List<String> bucketNames() {
        checkOpen();
        List<String> names = new ArrayList<>();
        try (TreeCursor c = new TreeCursor(this, catalog)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                names.add(new String(c.key(), StandardCharsets.UTF_8));
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public void commit() {
        commit(engine.durability());
    }

    @Override
    public void commit(Durability durability) {
        checkWritable();
        try {
            engine.commit(this, durability);
        } finally {
            end();
        }
    }

    @Override
    public void close() {
        if (!done) {
            end();
        }
    }

    // ---- engine side

    Meta meta() {
        return meta;
    }

    Path file() {
        return engine.file();
    }

    MemorySegment segment() {
        return segment;
    }

    int pageSize() {
        return meta.pageSize();
    }

    long modCount() {
        return modCount;
    }

    boolean isDone() {
        return done;
    }

    void checkOpen() {
        if (done) {
            throw new TransactionClosedException("jbolt: transaction " + meta.txid() + " is closed");
        }
        engine.checkOpen();
    }

    private void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new IllegalStateException("jbolt: transaction is read-only");
        }
    }

    private void end() {
        done = true;
        engine.ended(this, mapping);
    }

    /** The bucket's tree, or null when the bucket does not exist. */
    Tree tree(String name) {
        Tree t = trees.get(name);
        if (t == null) {
            byte[] root = catalog.get(bucketKey(name));
            if (root == null) {
                return null;
            }
            t = new Tree(this, decodeRoot(root));
            trees.put(name, t);
        }
        return t;
    }

    Tree requireTree(String name) {
        Tree t = tree(name);
        if (t == null) {
            throw new BucketNotFoundException("jbolt: bucket \"" + name + "\" not found");
        }
        return t;
    }

    Tree catalog() {
        return catalog;
    }

    /** The offset of node page {@code pgid} in the map, after checking it is a node page of this state. */
    long nodeBase(long pgid) {
        if (pgid < 2 || pgid >= meta.pageCount()) {
            throw new BackendCorruptedException("jbolt: " + engine.file() + ": page " + pgid
                    + " out of range (page count " + meta.pageCount() + ")");
        }
        long base = pgid * meta.pageSize();
        int flags = Page.flags(segment, base);
        if ((flags != Page.LEAF && flags != Page.BRANCH) || Page.id(segment, base) != pgid) {
            throw new BackendCorruptedException("jbolt: " + engine.file() + ": page " + pgid
                    + " is not a valid node page (flags " + flags + ", id " + Page.id(segment, base) + ")");
        }
        long span = Page.overflow(segment, base) + 1L;
        long count = Integer.toUnsignedLong(Page.count(segment, base));
        if (pgid + span > meta.pageCount() || Page.HEADER + count * Page.ELEMENT > span * meta.pageSize()) {
            throw new BackendCorruptedException("jbolt: " + engine.file() + ": page " + pgid + " claims " + count
                    + " elements over " + span + " pages");
        }
        return base;
    }

    Node readNode(long pgid) {
        return Node.read(segment, nodeBase(pgid), pgid);
    }

    void put(Tree t, byte[] key, byte[] value) {
        checkWritable();
        checkKey(key);
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (value.length > Backend.MAX_VALUE_SIZE) {
            throw new ValueTooLargeException("jbolt: value of " + value.length + " bytes exceeds the maximum of "
                    + Backend.MAX_VALUE_SIZE);
        }
        t.put(key.clone(), value.clone());
        modCount++;
    }

    boolean delete(Tree t, byte[] key) {
        checkWritable();
        checkKey(key);
        boolean removed = t.delete(key);
        if (removed) {
            modCount++;
        }
        return removed;
    }

    static void checkKey(byte[] key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("jbolt: key is empty");
        }
        if (key.length > Backend.MAX_KEY_SIZE) {
            throw new KeyTooLargeException("jbolt: key of " + key.length + " bytes exceeds the maximum of "
                    + Backend.MAX_KEY_SIZE);
        }
    }

    // ---- commit support, used by Engine

    /** Runs the tree part of the commit: frees dropped trees, spills changed trees and the catalog. */
    long spillTrees(Commit c) {
        this.commit = c;
        for (Tree t : dropped) {
            t.freeOriginal();
        }
        for (Map.Entry<String, Tree> e : trees.entrySet()) {
            Tree t = e.getValue();
            if (t.dirty()) {
                t.rebalance();
                long root = t.spill();
                catalog.put(bucketKey(e.getKey()), encodeRoot(root));
            }
        }
        catalog.rebalance();
        return catalog.spill();
    }

    void free(Node n) {
        if (n.pgid != 0) {
            free(n.pgid, n.span);
            n.pgid = 0;
        }
    }

    void free(long pgid, int span) {
        commit.free(pgid, span);
    }

    long write(boolean leaf, List<Node.Entry> group) {
        return commit.writeNode(leaf, group);
    }

    private static byte[] bucketKey(String name) {
        if (name == null) {
            throw new NullPointerException("bucket");
        }
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > Backend.MAX_KEY_SIZE) {
            throw new IllegalArgumentException("jbolt: bucket name must be 1 to " + Backend.MAX_KEY_SIZE + " bytes");
        }
        return b;
    }

    private static byte[] encodeRoot(long root) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(root).array();
    }

    static long decodeRoot(byte[] v) {
        if (v.length != 8) {
            throw new BackendCorruptedException("jbolt: catalog entry of " + v.length + " bytes, expected 8");
        }
        return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A bucket handle of this transaction. */
    private final class Bucket implements JboltBucket {
        private final String name;
        private final Tree tree;

        Bucket(String name, Tree tree) {
            this.name = name;
            this.tree = tree;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte[] get(byte[] key) {
            checkOpen();
            live();
            return tree.get(key);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            live();
            Tx.this.put(tree, key, value);
        }

        @Override
        public boolean delete(byte[] key) {
            live();
            return Tx.this.delete(tree, key);
        }

        @Override
        public Cursor cursor() {
            checkOpen();
            live();
            return new TreeCursor(Tx.this, tree);
        }

        private void live() {
            if (trees.get(name) != tree) {
                throw new BucketNotFoundException("jbolt: bucket \"" + name + "\" was deleted");
            }
        }
    }
}
