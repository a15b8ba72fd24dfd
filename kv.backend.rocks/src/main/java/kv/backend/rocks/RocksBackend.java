package kv.backend.rocks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.LogFile;
import org.rocksdb.WalFileType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * A {@link Backend} over one RocksDB database (see the package documentation for the layout and
 * durability). Owns the database and every native option object; {@link #close()} frees them after
 * failing the open transactions, in dependency order.
 */
final class RocksBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(RocksBackend.class.getName());

    private final Path directory;
    private final Durability durability;
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final Options options;
    private final WriteOptions syncWrites;
    private final WriteOptions noSyncWrites;
    private final RocksDB db;
    /** Native calls that may block in the kernel run here, off virtual threads (see PlatformCalls). */
    private static final PlatformCalls PLATFORM = new PlatformCalls("kv-rocksdb-blocking", "rocksdb");

    final NativeGuard guard;
    private final WriterSlot writeSlot;
    private final Set<RocksTx> open = ConcurrentHashMap.newKeySet();

    private RocksBackend(Path directory, Durability durability, LRUCache cache, BloomFilter bloom, Options options,
            RocksDB db) {
        this.directory = directory;
        this.durability = durability;
        this.cache = cache;
        this.bloom = bloom;
        this.options = options;
        this.db = db;
        this.syncWrites = new WriteOptions().setSync(true);
        this.noSyncWrites = new WriteOptions().setSync(false);
        this.guard = new NativeGuard("backend: rocksdb backend at " + directory + " is closed");
        this.writeSlot = new WriterSlot(guard);
    }

    static RocksBackend open(BackendConfig config, RocksTuning tuning) throws IOException {
        Path dir = config.directory();
        Files.createDirectories(dir);
        LRUCache cache = new LRUCache(tuning.blockCacheSize());
        BloomFilter bloom = new BloomFilter(10, false);
        Options options = options(tuning, cache, bloom);
        try {
            RocksDB db = PLATFORM.call(() -> RocksDB.open(options, dir.toString()));
            return new RocksBackend(dir, config.durability(), cache, bloom, options, db);
        } catch (Exception e) {
            options.close();
            bloom.close();
            cache.close();
            if (e instanceof RocksDBException r && r.getStatus() != null && r.getStatus().getCode() == Status.Code.Corruption) {
                throw new BackendCorruptedException("rocksdb: " + dir + " is not a valid store: " + e.getMessage(), e);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("rocksdb: cannot open " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The options behind the choices documented in {@link RocksTuning} and the package documentation. */
    private static Options options(RocksTuning tuning, LRUCache cache, BloomFilter bloom) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(bloom)
                .setWholeKeyFiltering(true)
                .setCacheIndexAndFilterBlocks(false)
                .setBlockSize(4 * 1024);
        Options o = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setWriteBufferSize(tuning.writeBufferSize())
                .setMaxBackgroundJobs(tuning.backgroundJobs())
                .setBytesPerSync(1 << 20)
                .setWalBytesPerSync(0)
                .setManualWalFlush(false)
                .setKeepLogFileNum(3)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setLevelCompactionDynamicLevelBytes(true);
        if (tuning.compress()) {
            o.setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        } else {
            o.setCompressionType(CompressionType.NO_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.NO_COMPRESSION);
        }
        return o;
    }

    RocksDB db() {
        return db;
    }

    Durability durability() {
        return durability;
    }

    @Override
    public String engine() {
        return "rocksdb";
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public ReadTx beginRead() {
        guard.enter();
        try {
            return track(new RocksReadTx(this));
        } finally {
            guard.exit();
        }
    }

    @Override
    public WriteTx beginWrite() {
        writeSlot.acquire();
        guard.enter();
        try {
            return track(new RocksWriteTx(this));
        } catch (RuntimeException e) {
            writeSlot.release();
            throw e;
        } finally {
            guard.exit();
        }
    }

    private <T extends RocksTx> T track(T tx) {
        open.add(tx);
        return tx;
    }

    void forget(RocksTx tx) {
        open.remove(tx);
    }

    void releaseWriteSlot() {
        writeSlot.release();
    }

    /** Writes a transaction's batch atomically; with {@link Durability#SYNC} the WAL is fsynced first. */
    void write(WriteBatchWithIndex batch, Durability d) {
        WriteOptions wo = switch (d) {
            case SYNC -> syncWrites;
            case NO_SYNC -> noSyncWrites;
        };
        try {
            PLATFORM.call(() -> {
                db.write(wo, batch);
                return null;
            });
        } catch (RocksDBException e) {
            throw new BackendException("rocksdb: commit failed in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendException("rocksdb: commit failed in " + directory + ": " + e, e);
        }
    }

    @Override
    public void sync() {
        guard.enter();
        try {
            PLATFORM.call(() -> {
                db.flushWal(true);
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendException("rocksdb: sync failed in " + directory + ": " + e.getMessage(), e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public long sizeOnDisk() {
        guard.enter();
        try {
            return size(directory);
        } catch (IOException e) {
            throw new BackendException("rocksdb: cannot measure " + directory + ": " + e.getMessage(), e);
        } finally {
            guard.exit();
        }
    }

    /**
     * Bytes of the regular files under {@code p}. RocksDB deletes files (old logs, compacted SSTs)
     * while we look: a file gone between listing and measuring counts as 0, never as an error.
     */
    private static long size(Path p) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0;
        }
        if (a.isRegularFile()) {
            return a.size();
        }
        if (!a.isDirectory()) {
            return 0;
        }
        long sum = 0;
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            for (Path e : entries) {
                sum += size(e);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            return sum;
        }
        return sum;
    }

    /**
     * Live data: RocksDB's estimate of the live bytes in SST files, plus the write-ahead log that
     * still backs the memtables. Never more than {@link #sizeOnDisk()}.
     */
    @Override
    public long sizeInUse() {
        long onDisk = sizeOnDisk();
        guard.enter();
        try {
            long live = db.getLongProperty("rocksdb.estimate-live-data-size");
            long wal = 0;
            for (LogFile f : db.getSortedWalFiles()) {
                if (f.type() == WalFileType.kAliveLogFile) {
                    wal += f.sizeFileBytes();
                }
            }
            return Math.min(onDisk, live + wal);
        } catch (RocksDBException e) {
            throw new BackendException("rocksdb: cannot read sizes of " + directory + ": " + e.getMessage(), e);
        } finally {
            guard.exit();
        }
    }

    /** A full compaction of the key space, forced down to the bottommost level so tombstones go too. */
    @Override
    public void defragment() {
        writeSlot.acquire();
        try {
            guard.enter();
            try (CompactRangeOptions cro = new CompactRangeOptions()
                    .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)
                    .setExclusiveManualCompaction(true)) {
                PLATFORM.call(() -> {
                    db.compactRange(db.getDefaultColumnFamily(), null, null, cro);
                    return null;
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new BackendException("rocksdb: defragment failed in " + directory + ": " + e.getMessage(), e);
            } finally {
                guard.exit();
            }
        } finally {
            writeSlot.release();
        }
    }

    /**
     * Writes the memtables to SST files before closing. Without it the next open replays the WAL
     * into fresh memtables, one insert per entry, which costs far more than the flush (seen: a
     * million-key store took 12 s to reopen on two busy cores). A failed flush loses nothing: the
     * WAL still holds the data.
     */
    private void flushMemtables() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo);
        } catch (RocksDBException e) {
            LOG.log(System.Logger.Level.WARNING, "rocksdb: flush before closing " + directory + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        boolean closed = guard.close(() -> {
            List<RocksTx> txs = List.copyOf(open);
            open.clear();
            for (RocksTx tx : txs) {
                tx.release();
            }
            try {
                PLATFORM.call(() -> {
                    flushMemtables();
                    db.closeE();
                    return null;
                });
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "rocksdb: close of " + directory + " reported: " + e.getMessage(), e);
            }
            syncWrites.close();
            noSyncWrites.close();
            options.close();
            bloom.close();
            cache.close();
        });
        if (closed) {
            LOG.log(System.Logger.Level.DEBUG, "rocksdb backend at {0} closed", directory);
        }
    }
}
