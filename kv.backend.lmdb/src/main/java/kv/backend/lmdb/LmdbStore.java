package kv.backend.lmdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import kv.backend.BackendCorruptedException;
import kv.backend.Durability;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * One LMDB environment (one generation of the store's files, see {@link LmdbBackend}): the
 * environment, the bucket registry database, and a handle per bucket database.
 *
 * <p>Bucket databases are named {@code kv.bucket.NAME}; the registry {@code kv.registry} lists the
 * buckets that exist (an empty value per name). Deleting a bucket empties its database and removes
 * the registry entry but keeps the LMDB database and its handle, because LMDB handles are
 * environment-wide and must not be closed while any transaction might use them.
 *
 * <p>Handles are opened in the committing write transaction and published after its commit; the
 * {@link #dbiLock} spans both, so a reader that sees a new bucket in the registry finds its handle.
 *
 * <p>Lifetime: transactions {@link #retain()} and {@link #release()} it; after {@link #retire()}
 * (a defragment replaced it) the last release closes the environment and deletes its directory.
 */
final class LmdbStore {
    private static final System.Logger LOG = System.getLogger(LmdbStore.class.getName());
    static final String REGISTRY = "kv.registry";
    static final String BUCKET_PREFIX = "kv.bucket.";

    final Path dir;
    final int generation;
    final Env<ByteBuffer> env;
    final Dbi<ByteBuffer> registry;
    /** Keys this long or longer go into {@link Group}s. */
    final int keyLimit;
    /** Whether a SYNC commit needs an explicit {@code env.sync(true)} (the env was opened without per-commit fsync). */
    final boolean explicitSync;
    final ReentrantLock dbiLock = new ReentrantLock();
    private final Map<String, Dbi<ByteBuffer>> handles = new ConcurrentHashMap<>();
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;
    private volatile long mapSize;
    /** Bumped each time the map moves; cursors compare it to know when to re-create native state. */
    private volatile long epoch;

    private LmdbStore(Path dir, int generation, Env<ByteBuffer> env, long mapSize, boolean explicitSync) {
        this.dir = dir;
        this.generation = generation;
        this.env = env;
        this.mapSize = mapSize;
        this.explicitSync = explicitSync;
        this.keyLimit = env.getMaxKeySize();
        try (Txn<ByteBuffer> w = env.txnWrite()) {
            this.registry = env.openDbi(w, utf8(REGISTRY), null, false, DbiFlags.MDB_CREATE);
            for (String name : names(w)) {
                handles.put(name, env.openDbi(w, utf8(BUCKET_PREFIX + name), null, false));
            }
            w.commit();
        } catch (LmdbException e) {
            env.close();
            throw new BackendCorruptedException("lmdb: cannot open the databases of " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    static LmdbStore open(Path dir, int generation, LmdbTuning tuning, Durability durability, long mapSize) throws IOException {
        Files.createDirectories(dir);
        List<EnvFlags> flags = new ArrayList<>(List.of(EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD));
        if (durability == Durability.NO_SYNC) {
            flags.add(tuning.noSyncAtAll() ? EnvFlags.MDB_NOSYNC : EnvFlags.MDB_NOMETASYNC);
        }
        Env<ByteBuffer> env;
        try {
            env = Env.create()
                    .setMapSize(mapSize)
                    .setMaxDbs(tuning.maxBuckets() + 1)
                    .setMaxReaders(tuning.maxReaders())
                    .open(dir.toFile(), flags.toArray(EnvFlags[]::new));
        } catch (Env.FileInvalidException | Env.VersionMismatchException e) {
            throw new BackendCorruptedException("lmdb: " + dir + " is not a valid LMDB store: " + e.getMessage(), e);
        } catch (LmdbException e) {
            throw new IOException("lmdb: cannot open " + dir + ": " + e.getMessage(), e);
        }
        long actual = Math.max(mapSize, env.info().mapSize);
        return new LmdbStore(dir, generation, env, actual, durability == Durability.NO_SYNC);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Longest bucket name, in UTF-8 bytes: database names are keys of LMDB's main database. */
    int maxBucketName() {
        return keyLimit - BUCKET_PREFIX.length();
    }

    /** The bucket names registered as {@code txn} sees them, in registry (byte) order. */
    List<String> names(Txn<ByteBuffer> txn) {
        List<String> names = new ArrayList<>();
        try (Cursor<ByteBuffer> c = registry.openCursor(txn)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                names.add(StandardCharsets.UTF_8.decode(c.key().duplicate()).toString());
            }
        }
        return names;
    }

    boolean registered(Txn<ByteBuffer> txn, String bucket, ByteBuffer keyBuffer) {
        byte[] name = utf8(bucket);
        if (name.length > keyLimit) {
            return false;
        }
        return registry.get(txn, BucketTable.load(keyBuffer, name, keyLimit)) != null;
    }

    /** The handle of a registered bucket. */
    Dbi<ByteBuffer> handle(String bucket) {
        Dbi<ByteBuffer> d = handles.get(bucket);
        if (d != null) {
            return d;
        }
        dbiLock.lock(); // a commit that registered the bucket may still be publishing its handle
        try {
            d = handles.get(bucket);
        } finally {
            dbiLock.unlock();
        }
        if (d == null) {
            throw new BackendCorruptedException("lmdb: bucket \"" + bucket + "\" is registered in " + dir
                    + " but has no database");
        }
        return d;
    }

    /** The handle of {@code bucket}, opening (creating) its database in write transaction {@code w}. */
    Dbi<ByteBuffer> handleForWrite(Txn<ByteBuffer> w, String bucket, Map<String, Dbi<ByteBuffer>> opened) {
        Dbi<ByteBuffer> d = handles.get(bucket);
        if (d == null) {
            d = opened.computeIfAbsent(bucket,
                    b -> env.openDbi(w, utf8(BUCKET_PREFIX + b), null, false, DbiFlags.MDB_CREATE));
        }
        return d;
    }

    /** Makes handles opened by a committed write transaction visible to every transaction. */
    void publish(Map<String, Dbi<ByteBuffer>> opened) {
        handles.putAll(opened);
    }

    long mapSize() {
        return mapSize;
    }

    long epoch() {
        return epoch;
    }

    /** Doubles the map. Only with no other call inside LMDB and no write transaction open. */
    void grow() {
        long next = mapSize * 2;
        env.setMapSize(next);
        mapSize = next;
        epoch++;
        LOG.log(System.Logger.Level.INFO, "lmdb: map of {0} grown to {1} bytes", dir, next);
    }

    /** Bytes of pages that hold data: the meta pages plus every database's branch, leaf and overflow pages. */
    long bytesInUse(Txn<ByteBuffer> txn) {
        Stat main = env.stat();
        long pages = 2 + pages(main) + pages(registry.stat(txn));
        Map<String, Dbi<ByteBuffer>> all = new HashMap<>(handles);
        for (Dbi<ByteBuffer> d : all.values()) {
            pages += pages(d.stat(txn));
        }
        return pages * main.pageSize;
    }

    private static long pages(Stat s) {
        return s.branchPages + s.leafPages + s.overflowPages;
    }

    boolean retain() {
        while (true) {
            int n = users.get();
            if (n < 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (users.decrementAndGet() == 0 && retired) {
            maybeDispose();
        }
    }

    void retire() {
        retired = true;
        maybeDispose();
    }

    /** Closes the environment now, whatever its users (the backend is closing). */
    void closeNow() {
        users.set(-1);
        if (!env.isClosed()) {
            env.close();
        }
    }

    private void maybeDispose() {
        if (users.compareAndSet(0, -1)) {
            env.close();
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "lmdb: cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
