package kv.backend.jbolt.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import kv.backend.BackendClosedException;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendException;
import kv.backend.Durability;
import kv.backend.jbolt.JboltStats;
import kv.backend.jbolt.JboltTx;

/**
 * One open jbolt file: the latest committed {@link Meta}, the current {@link Mapping} generation,
 * the open readers (by the txid they pinned), the single write slot and the writer's
 * {@link Freelist}.
 *
 * <p>Commit order: data and free-list pages by positional writes, fsync, then the meta page into
 * slot {@code txid % 2}, fsync; only then do new transactions see the new state. A crash at any
 * point leaves the old meta (and every page it reaches, which this commit did not touch) or the new
 * one. After an I/O failure in a commit the engine refuses every further write.
 *
 * <p>Thread-safe: {@code lock} guards the published state and the reader table; the write slot
 * serializes writers, commits, check, compaction and defragmentation.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private static final long MIN_MAP = 64 * 1024;
    private static final long MAX_MAP_STEP = 1L << 30;

    private final Path file;
    private final Durability durability;
    private final Object lock = new Object();
    private final Object ioLock = new Object();
    private final TreeMap<Long, Integer> readers = new TreeMap<>();
    private final Set<Mapping> live = new HashSet<>();
    private final Semaphore writeSlot = new Semaphore(1);
    private final Freelist freelist = new Freelist();
    /** Where commits encode their pages; only the holder of the write slot uses it. */
    private final PageBuffer pageBuffer = new PageBuffer();
    private volatile FileChannel channel;
    private Meta meta;
    private Mapping mapping;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile long unusedPages;
    private volatile long freeSnapshot;
    private volatile long pendingSnapshot;

    private Engine(Path file, Durability durability) {
        this.file = file;
        this.durability = durability;
    }

    /** Opens the file, creating it with {@code pageSize} pages when absent or empty. */
    public static Engine open(Path file, int pageSize, Durability durability) throws IOException {
        return open(file, pageSize, durability, 0);
    }

    /** Opens, creating a new file whose first state has id {@code firstTxid + 1}. */
    private static Engine open(Path file, int pageSize, Durability durability, long firstTxid) throws IOException {
        if (!Meta.validPageSize(pageSize)) {
            throw new IllegalArgumentException("jbolt: page size " + pageSize + " is not a power of two in [1024, 65536]");
        }
        Engine e = new Engine(file, durability);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            lock(ch, file);
            if (ch.size() == 0) {
                Layout.init(ch, pageSize, firstTxid);
                Layout.syncDirectory(file);
            }
            e.load(ch, pageSize);
        } catch (IOException | RuntimeException ex) {
            ch.close();
            throw ex;
        }
        return e;
    }

    /** One process (and one open database in it) per file: two writers would overwrite each other's pages. */
    private static void lock(FileChannel ch, Path file) throws IOException {
        try {
            if (ch.tryLock() == null) {
                throw new BackendException("jbolt: " + file + " is locked by another process");
            }
        } catch (OverlappingFileLockException e) {
            throw new BackendException("jbolt: " + file + " is already open in this process", e);
        }
    }

    private void load(FileChannel ch, int pageSize) throws IOException {
        Meta m = Layout.readMeta(ch, file, pageSize);
        Mapping map = Mapping.map(ch, ch.size());
        try {
            freelist.load(Layout.readFreelist(map.segment(), m, file));
        } catch (RuntimeException ex) {
            map.unmap();
            throw ex;
        }
        synchronized (lock) {
            channel = ch;
            meta = m;
            mapping = map;
            live.add(map);
        }
        snapshotCounts();
    }

    public Path file() {
        return file;
    }

    public Durability durability() {
        return durability;
    }

    public int pageSize() {
        synchronized (lock) {
            return meta.pageSize();
        }
    }

    /** Begins a transaction; a writable one waits for the write slot. */
    public JboltTx begin(boolean writable) {
        return beginTx(writable);
    }

    Tx beginTx(boolean writable) {
        if (!writable) {
            synchronized (lock) {
                checkOpen();
                mapping.acquire();
                readers.merge(meta.txid(), 1, Integer::sum);
                return new Tx(this, meta, mapping, false);
            }
        }
        acquireWriteSlot();
        try {
            if (failure != null) {
                throw new BackendException("jbolt: " + file + ": refusing writes after an earlier failure: " + failure, failure);
            }
            long oldest;
            Tx tx;
            synchronized (lock) {
                checkOpen();
                mapping.acquire();
                oldest = readers.isEmpty() ? Long.MAX_VALUE : readers.firstKey();
                tx = new Tx(this, meta, mapping, true);
            }
            freelist.release(oldest);
            snapshotCounts();
            return tx;
        } catch (RuntimeException e) {
            writeSlot.release();
            throw e;
        }
    }

    void ended(Tx tx, Mapping m) {
        if (tx.writable()) {
            writeSlot.release();
        } else {
            synchronized (lock) {
                readers.computeIfPresent(tx.txid(), (k, v) -> v == 1 ? null : v - 1);
            }
        }
        m.release();
    }

    void checkOpen() {
        if (closed) {
            throw new BackendClosedException("jbolt: " + file + " is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void acquireWriteSlot() {
        try {
            while (!writeSlot.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                checkOpen();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("jbolt: interrupted while waiting for the write transaction", e);
        }
        if (closed) {
            writeSlot.release();
            checkOpen();
        }
    }

    /** Commits {@code tx}: see the class comment for the order of writes. */
    void commit(Tx tx, Durability d) {
        if (failure != null) {
            throw new BackendException("jbolt: " + file + ": refusing writes after an earlier failure: " + failure, failure);
        }
        try {
            Meta base = tx.meta();
            Commit c = new Commit(freelist, base.pageSize(), base.pageCount(), tx.segment(), pageBuffer);
            long catalog = tx.spillTrees(c);
            c.free(base.freelist(), Page.overflow(tx.segment(), base.freelist() * base.pageSize()) + 1);
            freelist.addPending(base.txid() + 1, c.freedIds());
            long fl = c.writeFreelist(freelist);
            Meta next = base.next(catalog, fl, c.pageCount());
            FileChannel ch = channel;
            c.flush(ch);
            if (d == Durability.SYNC) {
                ch.force(false);
            }
            ByteBuffer mb = ByteBuffer.wrap(next.encode());
            long pos = (long) next.slot() * next.pageSize();
            while (mb.hasRemaining()) {
                pos += ch.write(mb, pos);
            }
            if (d == Durability.SYNC) {
                ch.force(false);
            }
            publish(next, ch);
        } catch (IOException | RuntimeException | Error e) {
            if (closed) {
                throw new BackendClosedException("jbolt: " + file + " was closed during a commit", e);
            }
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "jbolt: commit failed on " + file + "; refusing further writes", e);
            switch (e) {
                case IOException io -> throw new BackendException("jbolt: " + file + ": commit failed: " + io.getMessage(), io);
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new BackendException("jbolt: " + file + ": commit failed", e);
            }
        }
    }

    private void publish(Meta next, FileChannel ch) throws IOException {
        Mapping current;
        synchronized (lock) {
            current = mapping;
        }
        long need = next.pageCount() * next.pageSize();
        Mapping fresh = need > current.size() ? Mapping.map(ch, grownSize(current.size(), need, next.pageSize())) : null;
        synchronized (lock) {
            checkOpen();
            meta = next;
            if (fresh != null) {
                mapping = fresh;
                live.removeIf(Mapping::isUnmapped);
                live.add(fresh);
            }
        }
        if (fresh != null) {
            current.release();
        }
        snapshotCounts();
    }

    private void snapshotCounts() {
        freeSnapshot = freelist.freeCount();
        pendingSnapshot = freelist.pendingCount();
        unusedPages = freeSnapshot + pendingSnapshot;
    }

    static long grownSize(long current, long need, int pageSize) {
        long size = Math.max(current, MIN_MAP);
        while (size < need) {
            size = size < MAX_MAP_STEP ? size * 2 : size + MAX_MAP_STEP;
        }
        return (size + pageSize - 1) / pageSize * pageSize;
    }

    /** Forces every commit so far to stable storage. */
    public void sync() {
        checkOpen();
        synchronized (ioLock) {
            try {
                channel.force(false);
            } catch (IOException e) {
                checkOpen();
                failure = e;
                throw new BackendException("jbolt: " + file + ": fsync failed: " + e.getMessage(), e);
            }
        }
    }

    public long sizeOnDisk() {
        checkOpen();
        synchronized (ioLock) {
            try {
                return channel.size();
            } catch (IOException e) {
                checkOpen();
                throw new BackendException("jbolt: " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public long sizeInUse() {
        synchronized (lock) {
            checkOpen();
            return (meta.pageCount() - unusedPages) * meta.pageSize();
        }
    }

    /** Verifies the latest committed state; returns the problems found (empty when consistent). */
    public List<String> check() {
        acquireWriteSlot();
        try (Tx tx = beginTx(false)) {
            return new Checker(tx, freelist).run();
        } finally {
            writeSlot.release();
        }
    }

    /** Walks the latest committed state; free-page counts are those of the last commit. */
    public JboltStats stats() {
        long free = freeSnapshot;
        long pending = pendingSnapshot;
        long fileSize = sizeOnDisk();
        try (Tx tx = beginTx(false)) {
            return new Checker(tx, null).stats(free, pending, fileSize);
        }
    }

    /** Copies the latest committed state compactly into a new file at {@code target}. */
    public void compactTo(Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("jbolt: compaction target " + target + " already exists");
        }
        // the copy continues the transaction ids, so that they only ever grow for this database
        try (Tx src = beginTx(false); Engine dst = open(target, src.pageSize(), Durability.NO_SYNC, src.txid())) {
            Layout.copy(src, dst);
            dst.sync();
            dst.truncateToUse();
        }
    }

    private void truncateToUse() throws IOException {
        long end;
        synchronized (lock) {
            end = meta.pageCount() * meta.pageSize();
            mapping.unmap();
            live.remove(mapping);
        }
        channel.truncate(end);
        channel.force(true);
    }

    /** Compacts into a sibling file and atomically replaces this file with it; open readers go on. */
    public void defragment() {
        acquireWriteSlot();
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".compact");
            Files.deleteIfExists(tmp);
            compactTo(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Layout.syncDirectory(file);
            FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                lock(fresh, file);
                swapTo(fresh);
            } catch (IOException | RuntimeException e) {
                fresh.close();
                throw e;
            }
        } catch (IOException e) {
            checkOpen();
            throw new BackendException("jbolt: " + file + ": defragment failed: " + e.getMessage(), e);
        } finally {
            writeSlot.release();
        }
    }

    private void swapTo(FileChannel ch) throws IOException {
        Meta m = Layout.readMeta(ch, file, pageSize());
        Mapping map = Mapping.map(ch, ch.size());
        long[] free = Layout.readFreelist(map.segment(), m, file);
        Mapping old;
        FileChannel oldChannel;
        synchronized (ioLock) {
            synchronized (lock) {
                old = mapping;
                oldChannel = channel;
                channel = ch;
                meta = m;
                mapping = map;
                live.removeIf(Mapping::isUnmapped);
                live.add(map);
            }
        }
        freelist.load(free);
        snapshotCounts();
        old.release();
        oldChannel.close();
    }

    /** Closes the file and unmaps every generation at once; open transactions fail from now on. */
    @Override
    public void close() {
        List<Mapping> maps;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            maps = new ArrayList<>(live);
            live.clear();
        }
        maps.forEach(Mapping::unmap);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "jbolt: closing " + file + ": " + e.getMessage());
        }
    }

    // for tests and the checker
    Freelist freelist() {
        return freelist;
    }

    MemorySegment currentSegment() {
        synchronized (lock) {
            return mapping.segment();
        }
    }
}
