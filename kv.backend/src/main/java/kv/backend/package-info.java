/**
 * What kv's upper layers see of a storage engine.
 *
 * <p>A {@link kv.backend.Backend} holds named buckets; each bucket maps byte keys to byte values in
 * unsigned lexicographic key order. Readers use {@link kv.backend.ReadTx}, which sees one committed
 * state for its whole life; there is one {@link kv.backend.WriteTx} at a time, committed atomically.
 * Keys are 1 to {@link kv.backend.Backend#MAX_KEY_SIZE} bytes, values 0 to
 * {@link kv.backend.Backend#MAX_VALUE_SIZE} bytes. Byte arrays handed in are copied or consumed
 * before the call returns; byte arrays handed out belong to the caller.
 */
package kv.backend;
