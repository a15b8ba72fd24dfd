package kv.backend.lmdb;

/**
 * A bidirectional walk over one bucket's logical keys, without the SPI's checks: positioning
 * methods return whether they landed on an entry; {@link #key()} and {@link #value()} may only be
 * called after one returned true. {@link #next()} and {@link #prev()} only from a position.
 */
interface Walk {
    boolean first();

    boolean last();

    boolean seek(byte[] key);

    boolean next();

    boolean prev();

    byte[] key();

    byte[] value();

    /** Re-creates native state after LMDB's map moved (it grew), keeping the logical position. */
    void remap();

    void close();
}
