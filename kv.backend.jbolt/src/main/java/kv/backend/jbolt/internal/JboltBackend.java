package kv.backend.jbolt.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendCorruptedException;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.backend.jbolt.JboltDb;

/**
 * The SPI face of a {@link JboltDb}: backend buckets are top-level jbolt buckets. Adds what the SPI
 * promises on top of the engine: a missing bucket is {@link kv.backend.BucketNotFoundException},
 * reads racing a {@link #close()} fail with {@link BackendClosedException}, and reads of a damaged
 * page fail with {@link BackendCorruptedException}.
 *
 * <p>Thread-safe, like the database it owns (and closes).
 */
public final class JboltBackend implements Backend {
    private final String engine;
    private final Path directory;
    private final JboltDb db;

    public JboltBackend(String engine, Path directory, JboltDb db) {
        this.engine = engine;
        this.directory = directory;
        this.db = db;
    }

    /** The database under this backend (for checks and statistics). */
    public JboltDb db() {
        return db;
    }

    /** Runs {@link JboltDb#check()}. */
    public List<String> check() {
        return guard(db::check);
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public ReadTx beginRead() {
        return new SpiReadTx(this, guard(() -> db.begin(false)));
    }

    @Override
    public WriteTx beginWrite() {
        return new SpiWriteTx(this, guard(() -> db.begin(true)));
    }

    @Override
    public void sync() {
        db.sync();
    }

    @Override
    public long sizeOnDisk() {
        return db.sizeOnDisk();
    }

    @Override
    public long sizeInUse() {
        return db.sizeInUse();
    }

    @Override
    public void defragment() {
        db.defragment();
    }

    @Override
    public void close() {
        db.close();
    }

    /** Runs op, turning the failure of a read racing close (the map is gone) into BackendClosedException. */
    <T> T guard(Supplier<T> op) {
        try {
            return op.get();
        } catch (IllegalStateException e) {
            if (db.isClosed()) {
                throw new BackendClosedException("jbolt: " + db.file() + " is closed", e);
            }
            throw e;
        } catch (IndexOutOfBoundsException e) {
            // an element of a damaged page points outside its page run or the file
            throw new BackendCorruptedException("jbolt: " + db.file() + ": page data out of bounds: " + e.getMessage(), e);
        }
    }

    void guardRun(Runnable op) {
        guard(() -> {
            op.run();
            return null;
        });
    }
}
