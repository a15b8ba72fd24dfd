package kv.backend.jbolt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import kv.backend.BackendCorruptedException;
import kv.backend.jbolt.internal.Engine;

/**
 * A jbolt database: one file of fixed-size pages holding a copy-on-write B+tree per bucket, two
 * checksummed meta pages (the newer valid one is the committed state), and a persisted free list.
 * Reads go through a memory map; a commit writes new pages, fsyncs, then writes and fsyncs the meta
 * page, so a crash leaves either the previous or the new state.
 *
 * <p>Thread-safe. Any number of read-only transactions may be open at once, each pinned to the
 * state committed when it began; one writable transaction at a time ({@link #begin(boolean)} with
 * {@code true} waits for the slot). Pages a commit frees are reused only once no open reader can
 * still see them.
 *
 * <p>Lifetime: the caller closes it. {@link #close()} does not wait: it unmaps the file at once and
 * open transactions fail with {@link kv.backend.BackendClosedException} from then on.
 */
public final class JboltDb implements AutoCloseable {
    private final Engine engine;

    private JboltDb(Engine engine) {
        this.engine = engine;
    }

    /**
     * Opens {@code file}, creating an empty database when it does not exist or is empty.
     *
     * @throws IOException when the file cannot be created or read
     * @throws BackendCorruptedException when neither meta page is valid, or the free list is damaged
     */
    public static JboltDb open(Path file, JboltOptions options) throws IOException {
        return new JboltDb(Engine.open(file, options.pageSize(), options.durability()));
    }

    /** Begins a read-only ({@code false}) or the writable ({@code true}, waits for the slot) transaction. */
    public JboltTx begin(boolean writable) {
        return engine.begin(writable);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return engine.isClosed();
    }

    public Path file() {
        return engine.file();
    }

    public int pageSize() {
        return engine.pageSize();
    }

    /** Forces every commit so far (including {@link kv.backend.Durability#NO_SYNC} ones) to stable storage. */
    public void sync() {
        engine.sync();
    }

    /**
     * Verifies the latest committed state: reachability, no page used twice, key order within and
     * across pages, node shape, and free-list consistency. Waits for the write slot (do not call it
     * while holding a write transaction). Returns the problems found; empty when consistent.
     */
    public List<String> check() {
        return engine.check();
    }

    /** Page accounting of the latest committed state (walks every tree). */
    public JboltStats stats() {
        return engine.stats();
    }

    /**
     * Writes the latest committed state compactly into a new database file at {@code target}, which
     * must not exist. This database stays open and usable meanwhile.
     */
    public void compactTo(Path target) throws IOException {
        engine.compactTo(target);
    }

    /** Compacts into a sibling file and atomically puts it in place of this one; readers go on. */
    public void defragment() {
        engine.defragment();
    }

    /** Bytes of the file. */
    public long sizeOnDisk() {
        return engine.sizeOnDisk();
    }

    /** Bytes of pages in use (neither free nor pending). */
    public long sizeInUse() {
        return engine.sizeInUse();
    }

    @Override
    public void close() {
        engine.close();
    }
}
