/**
 * jbolt, kv's own storage engine: a copy-on-write B+tree in one file of fixed-size pages, read
 * through a memory map, one writer and many readers (modelled on bbolt).
 *
 * <p>{@link kv.backend.jbolt.JboltDb} is the engine on its own (transactions, buckets, cursors,
 * {@code check()}, {@code compactTo()}, {@code stats()}); {@link kv.backend.jbolt.JboltProvider} is
 * the {@link kv.backend.spi.BackendProvider} named {@code jbolt}, which keeps a backend's data in
 * {@code <dir>/jbolt.db} and maps each backend bucket to a top-level jbolt bucket.
 */
package kv.backend.jbolt;
