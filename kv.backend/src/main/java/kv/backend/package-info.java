/**
 * What kv's upper layers see of a storage engine.
 *
 * <p>A {@link kv.backend.Backend} holds named buckets; each bucket maps byte keys to byte values in
 * unsigned lexicographic key order. Readers use {@link kv.backend.ReadTx}, which sees one committed
 * state for its whole life; there is one {@link kv.backend.WriteTx} at a time, committed atomically.
 * Keys are 1 to {@link kv.backend.Backend#MAX_KEY_SIZE} bytes, values 0 to
 * {@link kv.backend.Backend#MAX_VALUE_SIZE} bytes. Byte arrays handed in are copied or consumed
 * before the call returns; byte arrays handed out belong to the caller.
 *
 * <p>Across engines: {@link kv.backend.BackendSnapshot} streams a whole store in an engine-neutral,
 * checksummed format (a follower or {@code snapshot save} restores it into any engine), and
 * {@link kv.backend.BackendHash} digests a store's content so that two engines holding the same
 * content can be shown to agree. Engines prove themselves with the kv.backend.tck contract kit.
 */
package kv.backend;
