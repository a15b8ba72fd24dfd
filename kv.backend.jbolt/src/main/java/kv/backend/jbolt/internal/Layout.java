package kv.backend.jbolt.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import kv.backend.BackendCorruptedException;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.jbolt.JboltBucket;

/**
 * File-level steps: creating an empty file, choosing the meta page at open, loading the persisted
 * free list, and copying one file's content into another (compaction). Stateless.
 */
final class Layout {
    /** Bytes of content a compaction puts into one transaction of the target. */
    private static final long COPY_BATCH = 16L << 20;

    private Layout() {}

    /**
     * Writes an empty store whose current state is {@code firstTxid + 1}: metas in pages 0 and 1, an
     * empty free list in page 2, an empty catalog leaf in page 3.
     */
    static void init(FileChannel ch, int pageSize, long firstTxid) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(4 * pageSize).order(ByteOrder.LITTLE_ENDIAN);
        Meta older = new Meta(pageSize, 3, 2, 4, firstTxid);
        Meta newer = new Meta(pageSize, 3, 2, 4, firstTxid + 1);
        all.position(older.slot() * pageSize).put(older.encode());
        all.position(newer.slot() * pageSize).put(newer.encode());
        all.position(2 * pageSize).putLong(2).putInt(Page.FREELIST).putInt(0).putInt(0).putInt(0);
        all.position(3 * pageSize).putLong(3).putInt(Page.LEAF).putInt(0).putInt(0).putInt(0);
        all.clear();
        long pos = 0;
        while (all.hasRemaining()) {
            pos += ch.write(all, pos);
        }
        ch.force(true);
    }

    static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories; the rename itself is still atomic there
        }
    }

    /**
     * The newer valid meta page: valid means magic, version and checksum match and the file holds
     * every page it claims. Slot 1 is looked for at the page size slot 0 names, else at
     * {@code configuredPageSize}, else at every legal page size.
     */
    static Meta readMeta(FileChannel ch, Path file, int configuredPageSize) throws IOException {
        long size = ch.size();
        Meta m0 = readMetaAt(ch, 0, size);
        Meta m1 = null;
        if (m0 != null) {
            m1 = readMetaAt(ch, m0.pageSize(), size);
            if (m1 != null && m1.pageSize() != m0.pageSize()) {
                m1 = null;
            }
        } else {
            m1 = readMetaAt(ch, configuredPageSize, size);
            for (int ps = 1024; m1 == null && ps <= 65536; ps *= 2) {
                m1 = readMetaAt(ch, ps, size);
                if (m1 != null && m1.pageSize() != ps) {
                    m1 = null;
                }
            }
        }
        if (m0 == null && m1 == null) {
            throw new BackendCorruptedException("jbolt: " + file + ": no valid meta page (both are corrupt or the file is not a jbolt store)");
        }
        if (m0 == null) {
            return m1;
        }
        if (m1 == null) {
            return m0;
        }
        return m1.txid() > m0.txid() ? m1 : m0;
    }

    private static Meta readMetaAt(FileChannel ch, long pos, long fileSize) throws IOException {
        if (pos + Meta.SIZE > fileSize) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(Meta.SIZE);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                return null;
            }
        }
        b.flip();
        Meta m = Meta.decode(b);
        if (m == null || m.slot() != (pos == 0 ? 0 : 1) || m.pageCount() * m.pageSize() > fileSize) {
            return null;
        }
        return m;
    }

    /** The page ids of the persisted free list of {@code m}. */
    static long[] readFreelist(MemorySegment s, Meta m, Path file) {
        long base = m.freelist() * m.pageSize();
        if (Page.flags(s, base) != Page.FREELIST || Page.id(s, base) != m.freelist()) {
            throw new BackendCorruptedException("jbolt: " + file + ": page " + m.freelist() + " is not the free list");
        }
        int n = Page.count(s, base);
        if ((long) Page.HEADER + 8L * n > (Page.overflow(s, base) + 1L) * m.pageSize()) {
            throw new BackendCorruptedException("jbolt: " + file + ": free list of " + n + " ids overflows its pages");
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = s.get(Page.LONG, base + Page.HEADER + 8L * i);
            if (ids[i] < 2 || ids[i] >= m.pageCount() || (i > 0 && ids[i] <= ids[i - 1])) {
                throw new BackendCorruptedException("jbolt: " + file + ": free list holds a bad page id " + ids[i]);
            }
        }
        return ids;
    }

    /** Copies every bucket of {@code src} into {@code dst} in key order, in batches of transactions. */
    static void copy(Tx src, Engine dst) {
        List<String> names = src.bucketNames();
        for (String name : names) {
            Tx w = dst.beginTx(true);
            try {
                JboltBucket out = w.createBucket(name);
                long batch = 0;
                try (Cursor c = src.bucket(name).cursor()) {
                    for (boolean ok = c.first(); ok; ok = c.next()) {
                        byte[] k = c.key();
                        byte[] v = c.value();
                        out.put(k, v);
                        batch += k.length + v.length;
                        if (batch >= COPY_BATCH) {
                            w.commit(Durability.NO_SYNC);
                            w = dst.beginTx(true);
                            out = w.bucket(name);
                            batch = 0;
                        }
                    }
                }
                w.commit(Durability.NO_SYNC);
            } finally {
                w.close();
            }
        }
    }
}
