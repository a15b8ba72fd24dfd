package kv.backend;

import java.util.List;

/**
 * A consistent view of the store as of the moment the transaction began (or, inside a
 * {@link WriteTx}, including its own uncommitted writes).
 *
 * <p>Not thread-safe: one thread at a time. Valid until {@link #close()}; cursors opened from it are
 * valid only while it is open. After {@link #close()} every call throws
 * {@link TransactionClosedException}, except {@code close()} itself, which then does nothing. Arrays
 * returned are the caller's to keep. Reading a bucket that does not exist finds nothing: {@link #get}
 * returns {@code null} or throws {@link BucketNotFoundException}, and so does {@link #cursor}.
 */
public interface ReadTx extends AutoCloseable {
    /** The value of {@code key} in {@code bucket}, or {@code null} when absent. */
    byte[] get(String bucket, byte[] key);

    /** A cursor over {@code bucket}, not yet positioned. */
    Cursor cursor(String bucket);

    /** Whether the bucket exists. */
    boolean hasBucket(String bucket);

    /** Names of all buckets, sorted. */
    List<String> buckets();

    /**
     * Visits the entries of {@code bucket} with {@code from <= key < to} in key order ({@code to}
     * {@code null} means to the end), stopping early when the visitor returns {@code false}.
     */
    default void scan(String bucket, byte[] from, byte[] to, EntryVisitor visitor) {
        try (Cursor c = cursor(bucket)) {
            boolean ok = from == null || from.length == 0 ? c.first() : c.seek(from);
            while (ok) {
                byte[] k = c.key();
                if (to != null && Bytes.compare(k, to) >= 0) {
                    return;
                }
                if (!visitor.visit(k, c.value())) {
                    return;
                }
                ok = c.next();
            }
        }
    }

    /** Ends the transaction; for a {@link WriteTx} that was not committed, discards its writes. */
    @Override
    void close();

    /** Receives one entry of a scan; returns whether to go on. */
    @FunctionalInterface
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }
}
