package kv.backend;

import java.nio.file.Path;

/**
 * An open store of named buckets of ordered byte keys.
 *
 * <p>Thread-safety: every method may be called from any thread. Any number of {@link ReadTx} may be
 * open at once, each seeing the state committed when it began; {@link #beginWrite()} blocks while
 * another write transaction is open. Readers never block the writer and the writer never blocks
 * readers.
 *
 * <p>Lifetime: {@link #close()} waits for nothing; it fails open transactions (their later calls
 * throw {@link BackendClosedException}, but closing them does nothing; a write transaction open at
 * close is not committed) and releases files, maps and native memory. Every method called after
 * close throws {@link BackendClosedException}.
 *
 * <p>Failure: an I/O error while committing throws {@link BackendException} and leaves the store
 * at its previous committed state; an engine that can no longer guarantee that (a failed fsync)
 * refuses every further write.
 */
public interface Backend extends AutoCloseable {
    /** Largest key, in bytes. Larger keys are refused with {@link KeyTooLargeException}. */
    int MAX_KEY_SIZE = 32 * 1024;
    /** Largest value, in bytes. Larger values are refused with {@link ValueTooLargeException}. */
    int MAX_VALUE_SIZE = 512 * 1024 * 1024;

    /** The engine's name, as its provider reports it. */
    String engine();

    /** The directory this backend lives in. */
    Path directory();

    /** Begins a read-only transaction over the latest committed state. The caller closes it. */
    ReadTx beginRead();

    /**
     * Begins the write transaction, waiting until no other one is open. The caller commits or
     * closes (aborts) it.
     */
    WriteTx beginWrite();

    /** Makes every commit done so far durable (matters after {@link Durability#NO_SYNC} commits). */
    void sync();

    /** Bytes the store occupies on disk. */
    long sizeOnDisk();

    /** Bytes of the on-disk size that hold live data (the rest is free space a defragment returns). */
    long sizeInUse();

    /**
     * Rewrites the store compactly so that {@link #sizeOnDisk()} shrinks to about
     * {@link #sizeInUse()}. Waits for the write slot; readers may go on, and read transactions open
     * across it keep their view. Content is unchanged, and a crash during it loses no commit.
     */
    void defragment();

    @Override
    void close();
}
