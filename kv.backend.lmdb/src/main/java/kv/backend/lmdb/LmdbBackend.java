package kv.backend.lmdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendCorruptedException;
import kv.backend.BackendException;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.backend.support.NativeGuard;
import kv.backend.support.PlatformCalls;
import kv.backend.support.WriterSlot;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * A {@link Backend} over LMDB (see the package documentation). The directory holds
 * {@code CURRENT}, naming the live generation {@code data-N}, and that generation's directory with
 * LMDB's {@code data.mdb} and {@code lock.mdb}; a defragment writes {@code data-(N+1)} with a
 * compacting copy and switches {@code CURRENT} atomically, while readers of the old generation
 * finish on it.
 */
final class LmdbBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(LmdbBackend.class.getName());
    private static final String CURRENT = "CURRENT";
    private static final String GENERATION_PREFIX = "data-";
    /** Beyond this the map does not grow: something is wrong, not merely big. */
    private static final long MAX_MAP_SIZE = 1L << 42;
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final Path directory;
    private final Durability durability;
    private final LmdbTuning tuning;
    /** Native calls that may block in the kernel run here, off virtual threads; LMDB commits also need one OS thread. */
    private static final PlatformCalls PLATFORM = new PlatformCalls("kv-lmdb-blocking", "lmdb");

    final NativeGuard guard;
    private final WriterSlot writeSlot;
    private final Set<LmdbTx> open = ConcurrentHashMap.newKeySet();
    private final Set<LmdbStore> stores = ConcurrentHashMap.newKeySet();
    private volatile LmdbStore current;
    /** Why writes are refused: set when a commit or sync failed in LMDB, after which durability is unknown. */
    private volatile String writeFailure;

    private LmdbBackend(Path directory, Durability durability, LmdbTuning tuning, LmdbStore store) {
        this.directory = directory;
        this.durability = durability;
        this.tuning = tuning;
        this.guard = new NativeGuard("backend: lmdb backend at " + directory + " is closed");
        this.writeSlot = new WriterSlot(guard);
        this.current = store;
        stores.add(store);
    }

    static LmdbBackend open(BackendConfig config, LmdbTuning tuning) throws IOException {
        Path dir = config.directory();
        Files.createDirectories(dir);
        Path currentFile = dir.resolve(CURRENT);
        int generation = 0;
        if (Files.exists(currentFile)) {
            generation = parseGeneration(Files.readString(currentFile, StandardCharsets.UTF_8).trim(), currentFile);
        }
        removeOtherGenerations(dir, generation);
        LmdbStore store = LmdbStore.open(dir.resolve(GENERATION_PREFIX + generation), generation, tuning,
                config.durability(), tuning.mapSize());
        if (!Files.exists(currentFile)) {
            writeCurrent(dir, generation);
        }
        return new LmdbBackend(dir, config.durability(), tuning, store);
    }

    private static int parseGeneration(String text, Path file) {
        try {
            if (text.startsWith(GENERATION_PREFIX)) {
                return Integer.parseInt(text.substring(GENERATION_PREFIX.length()));
            }
        } catch (NumberFormatException e) {
            // falls through to the corruption report
        }
        throw new BackendCorruptedException("lmdb: " + file + " does not name a generation: \"" + text + "\"");
    }

    /** Generations other than the live one are left over from a defragment that a crash interrupted. */
    private static void removeOtherGenerations(Path dir, int live) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(GENERATION_PREFIX) && !name.equals(GENERATION_PREFIX + live)) {
                    LmdbStore.deleteTree(p);
                }
            }
        }
    }

    private static void writeCurrent(Path dir, int generation) throws IOException {
        Path tmp = dir.resolve(CURRENT + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((GENERATION_PREFIX + generation + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** The live generation (tests look at its map size and key limit). */
    LmdbStore currentForTest() {
        return current;
    }

    Durability durability() {
        return durability;
    }

    @Override
    public String engine() {
        return "lmdb";
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public ReadTx beginRead() {
        guard.enter();
        try {
            return track(new LmdbReadTx(this, retainCurrent()));
        } finally {
            guard.exit();
        }
    }

    @Override
    public WriteTx beginWrite() {
        writeSlot.acquire();
        guard.enter();
        try {
            refuseAfterWriteFailure();
            return track(new LmdbWriteTx(this, retainCurrent()));
        } catch (RuntimeException e) {
            writeSlot.release();
            throw e;
        } finally {
            guard.exit();
        }
    }

    /** The live store, retained; a defragment may swap it between the read and the retain. */
    private LmdbStore retainCurrent() {
        while (true) {
            LmdbStore s = current;
            if (s.retain()) {
                return s;
            }
        }
    }

    private <T extends LmdbTx> T track(T tx) {
        open.add(tx);
        return tx;
    }

    void forget(LmdbTx tx) {
        open.remove(tx);
    }

    void releaseWriteSlot() {
        writeSlot.release();
    }

    /**
     * Replays a write transaction's changes into one LMDB write transaction and commits it, on a
     * platform thread. When the map is full: abort, double the map with no other call inside LMDB,
     * and replay (the changes are the redo log), so no caller ever sees {@code MDB_MAP_FULL}.
     */
    void commit(LmdbStore store, Map<String, BucketChange> changes, Durability d) {
        if (changes.isEmpty()) {
            return; // nothing to write: no LMDB transaction, no fsync
        }
        call("commit", () -> {
            while (true) {
                guard.enter();
                try {
                    refuseAfterWriteFailure();
                    apply(store, changes);
                    if (d == Durability.SYNC && store.explicitSync) {
                        durably("sync after commit", () -> store.env.sync(true));
                    }
                    return null;
                } catch (Env.MapFullException e) {
                    LOG.log(System.Logger.Level.DEBUG, "lmdb: map of {0} full at {1} bytes", store.dir, store.mapSize());
                } finally {
                    guard.exit();
                }
                if (store.mapSize() * 2 > MAX_MAP_SIZE) {
                    throw new BackendException("lmdb: map of " + store.dir + " is full at " + store.mapSize() + " bytes");
                }
                guard.exclusive(store::grow);
            }
        });
    }

    private void apply(LmdbStore store, Map<String, BucketChange> changes) {
        Map<String, Dbi<ByteBuffer>> opened = new HashMap<>();
        ByteBuffer keyBuffer = ByteBuffer.allocateDirect(store.keyLimit);
        store.dbiLock.lock();
        try (Txn<ByteBuffer> w = store.env.txnWrite()) {
            for (Map.Entry<String, BucketChange> e : changes.entrySet()) {
                applyBucket(store, w, e.getKey(), e.getValue(), opened, keyBuffer);
            }
            durably("commit", w::commit);
            store.publish(opened);
        } finally {
            store.dbiLock.unlock();
        }
    }

    private static void applyBucket(LmdbStore store, Txn<ByteBuffer> w, String bucket, BucketChange c,
            Map<String, Dbi<ByteBuffer>> opened, ByteBuffer keyBuffer) {
        byte[] name = LmdbStore.utf8(bucket);
        if (!c.exists) {
            if (c.existedBefore) {
                new BucketTable(store.handle(bucket), w, store.keyLimit, keyBuffer).clear();
                store.registry.delete(w, BucketTable.load(keyBuffer, name, store.keyLimit));
            }
            return;
        }
        if (!c.existedBefore) {
            store.registry.put(w, BucketTable.load(keyBuffer, name, store.keyLimit), EMPTY);
        }
        BucketTable t = new BucketTable(store.handleForWrite(w, bucket, opened), w, store.keyLimit, keyBuffer);
        if (c.cleared) {
            t.clear();
        }
        for (Map.Entry<byte[], byte[]> e : c.writes.entrySet()) {
            if (e.getValue() == BucketChange.TOMBSTONE) {
                t.delete(e.getKey());
            } else {
                t.put(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Runs a step that writes to disk. If it fails for any reason but a full map (which the caller
     * handles), what reached the disk is unknown (an fsync error may have dropped pages), so every
     * later write is refused until the store is reopened.
     */
    private void durably(String what, Runnable step) {
        try {
            step.run();
        } catch (Env.MapFullException e) {
            throw e;
        } catch (LmdbException e) {
            writeFailure = what + " failed: " + e.getMessage();
            throw e;
        }
    }

    private void refuseAfterWriteFailure() {
        String why = writeFailure;
        if (why != null) {
            throw new BackendException("lmdb: " + directory + " refuses writes: an earlier " + why
                    + " (reopen the store to recover)");
        }
    }

    @Override
    public void sync() {
        guard.enter();
        try {
            LmdbStore s = current;
            call("sync", () -> {
                durably("sync", () -> s.env.sync(true));
                return null;
            });
        } finally {
            guard.exit();
        }
    }

    /**
     * The live generation's files. A generation retired by {@link #defragment()} is not counted:
     * it is on disk only until its last reader ends, and it is not the store any more.
     */
    @Override
    public long sizeOnDisk() {
        guard.enter();
        try (Stream<Path> files = Files.walk(current.dir)) {
            return size(directory.resolve(CURRENT)) + files.filter(Files::isRegularFile).mapToLong(LmdbBackend::size).sum();
        } catch (IOException e) {
            throw new BackendException("lmdb: cannot measure " + directory + ": " + e.getMessage(), e);
        } finally {
            guard.exit();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // a retired generation deleted while we walked
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long sizeInUse() {
        long onDisk = sizeOnDisk();
        guard.enter();
        LmdbStore s = retainCurrent();
        try (Txn<ByteBuffer> txn = s.env.txnRead()) {
            return Math.min(onDisk, s.bytesInUse(txn));
        } catch (LmdbException e) {
            throw new BackendException("lmdb: cannot read sizes of " + directory + ": " + e.getMessage(), e);
        } finally {
            s.release();
            guard.exit();
        }
    }

    /**
     * Copies the live generation compactly ({@code MDB_CP_COMPACT}) into the next one, makes it
     * durable, switches {@code CURRENT} to it and opens it; the old generation is deleted when its
     * last reader ends. Holds the write slot throughout, so no commit is lost between copy and switch.
     */
    @Override
    public void defragment() {
        writeSlot.acquire();
        try {
            call("defragment", () -> {
                guard.enter();
                try {
                    swapTo(compactCopy(current));
                } finally {
                    guard.exit();
                }
                return null;
            });
        } finally {
            writeSlot.release();
        }
    }

    private LmdbStore compactCopy(LmdbStore old) throws IOException {
        int next = old.generation + 1;
        Path target = directory.resolve(GENERATION_PREFIX + next);
        if (Files.exists(target)) {
            LmdbStore.deleteTree(target);
        }
        Files.createDirectories(target);
        old.env.copy(target.toFile(), CopyFlags.MDB_CP_COMPACT);
        try (FileChannel ch = FileChannel.open(target.resolve("data.mdb"), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        fsyncDirectory(target);
        try {
            return LmdbStore.open(target, next, tuning, durability, old.mapSize());
        } catch (RuntimeException | IOException e) {
            LmdbStore.deleteTree(target);
            throw e;
        }
    }

    private void swapTo(LmdbStore fresh) throws IOException {
        try {
            writeCurrent(directory, fresh.generation);
        } catch (IOException e) {
            fresh.closeNow();
            LmdbStore.deleteTree(fresh.dir);
            throw e;
        }
        LmdbStore old = current;
        stores.add(fresh);
        current = fresh;
        old.retire();
        LOG.log(System.Logger.Level.INFO, "lmdb: {0} defragmented into generation {1}", directory, fresh.generation);
    }

    /** Runs an LMDB call that may block in the kernel off virtual threads, mapping its failures. */
    private <T> T call(String what, java.util.concurrent.Callable<T> body) {
        try {
            return PLATFORM.call(body);
        } catch (LmdbException e) {
            throw new BackendException("lmdb: " + what + " failed in " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackendException("lmdb: " + what + " failed in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendException("lmdb: " + what + " failed in " + directory + ": " + e, e);
        }
    }

    @Override
    public void close() {
        guard.close(() -> {
            for (LmdbTx tx : List.copyOf(open)) {
                tx.release();
            }
            open.clear();
            for (LmdbStore s : stores) {
                s.closeNow();
            }
            stores.clear();
        });
    }
}
