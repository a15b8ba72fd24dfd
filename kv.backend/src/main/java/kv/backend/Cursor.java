package kv.backend;

/**
 * An ordered iterator over one bucket, bidirectional. Positioning methods return whether the cursor
 * now stands on an entry; when they return {@code false}, {@link #key()} and {@link #value()} throw
 * {@link IllegalStateException} until it is positioned again.
 *
 * <p>Not thread-safe; valid only while its transaction is open. Writing through the transaction
 * while a cursor is open leaves the cursor's position unspecified (reposition it with a seek).
 */
public interface Cursor extends AutoCloseable {
    /** Moves to the smallest key. */
    boolean first();

    /** Moves to the largest key. */
    boolean last();

    /** Moves to the smallest key {@code >= key}. */
    boolean seek(byte[] key);

    /** Moves to the next larger key. */
    boolean next();

    /** Moves to the next smaller key. */
    boolean prev();

    /** The key at the current position. */
    byte[] key();

    /** The value at the current position. */
    byte[] value();

    @Override
    void close();
}
