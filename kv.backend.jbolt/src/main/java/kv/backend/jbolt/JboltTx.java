package kv.backend.jbolt;

import java.util.List;
import kv.backend.Durability;

/**
 * A jbolt transaction, from {@link JboltDb#begin(boolean)}. A read-only one sees the state
 * committed when it began for its whole life; the one writable transaction also sees its own
 * writes, and publishes all of them atomically at {@link #commit()}.
 *
 * <p>Not thread-safe: one thread at a time. Valid until {@link #commit()} or {@link #close()}
 * (which discards uncommitted writes); afterwards every call throws
 * {@link kv.backend.TransactionClosedException}. Buckets and cursors obtained from it are valid only
 * while it is open. A read-only transaction left open keeps the pages it sees from being reused,
 * so the file grows: close it.
 */
public interface JboltTx extends AutoCloseable {
    /** The id of the committed state this transaction started from. */
    long txid();

    boolean writable();

    /** The bucket, or {@code null} when it does not exist. */
    JboltBucket bucket(String name);

    /** The bucket, created first when absent (writable transactions only). */
    JboltBucket createBucket(String name);

    /** Deletes the bucket and every entry in it; returns whether it existed (writable transactions only). */
    boolean deleteBucket(String name);

    /** The bucket names, sorted. */
    List<String> bucketNames();

    /** Commits with the database's default durability, then closes the transaction. */
    void commit();

    /**
     * Commits: writes new pages, fsyncs them, writes the meta page, fsyncs it, then closes the
     * transaction. On an I/O failure the database stays at its previous state and refuses further
     * writes.
     *
     * <p>With {@link Durability#NO_SYNC} both fsyncs are skipped; pages are still written before the
     * meta page, so a killed process (whose writes the kernel keeps) leaves the new state or the old
     * one. Only a machine crash before the kernel writes them back can lose such commits (the
     * kernel may also write the meta before the pages then): call {@link JboltDb#sync()} when they
     * must be durable.
     */
    void commit(Durability durability);

    /** Ends the transaction; uncommitted writes are discarded. Idempotent. */
    @Override
    void close();
}
