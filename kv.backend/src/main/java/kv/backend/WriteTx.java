package kv.backend;

/**
 * The one write transaction of a backend. Reads through it see its own writes. Nothing is visible to
 * other transactions until {@link #commit()}, and then all of it at once.
 *
 * <p>Not thread-safe. After {@link #commit()} or {@link #close()} every call throws
 * {@link TransactionClosedException}, except {@link #close()} itself, which then does nothing (so
 * {@code try (WriteTx tx = backend.beginWrite()) { ...; tx.commit(); }} is the usual shape). Writes to a missing bucket throw
 * {@link BucketNotFoundException}; an empty key throws {@link IllegalArgumentException}; oversized
 * keys and values throw {@link KeyTooLargeException} and {@link ValueTooLargeException}. A call
 * that throws one of these changes nothing and leaves the transaction usable.
 */
public interface WriteTx extends ReadTx {
    /** Creates the bucket if it does not exist; returns whether it was created. */
    boolean createBucket(String bucket);

    /** Deletes the bucket and all its entries; returns whether it existed. */
    boolean deleteBucket(String bucket);

    /** Sets {@code key} to {@code value} in {@code bucket}. */
    void put(String bucket, byte[] key, byte[] value);

    /** Removes {@code key} from {@code bucket}; returns whether it was there. */
    boolean delete(String bucket, byte[] key);

    /**
     * Removes every key with {@code from <= key < to} ({@code to} {@code null}: to the end) from
     * {@code bucket}; returns how many were removed.
     */
    long deleteRange(String bucket, byte[] from, byte[] to);

    /** Commits with the backend's configured {@link Durability}, then closes the transaction. */
    void commit();

    /** Commits with the given durability, then closes the transaction. */
    void commit(Durability durability);
}
