package kv.backend.jbolt;

import kv.backend.Cursor;

/**
 * One bucket as seen by one {@link JboltTx}: byte keys (1 to {@link kv.backend.Backend#MAX_KEY_SIZE}
 * bytes) in unsigned lexicographic order mapped to byte values (up to
 * {@link kv.backend.Backend#MAX_VALUE_SIZE} bytes).
 *
 * <p>Arrays handed in are copied; arrays handed out are the caller's. Valid only while its
 * transaction is open, and (in a write transaction) while the bucket is not deleted. Not
 * thread-safe.
 */
public interface JboltBucket {
    String name();

    /** The value of {@code key}, or {@code null}. */
    byte[] get(byte[] key);

    /** Sets {@code key} to {@code value} (writable transactions only). */
    void put(byte[] key, byte[] value);

    /** Removes {@code key}; returns whether it was there (writable transactions only). */
    boolean delete(byte[] key);

    /** A new, unpositioned cursor over the bucket. */
    Cursor cursor();
}
