/**
 * etcd's MVCC store for kv: {@link kv.mvcc.MvccStore} applies Range, Put, DeleteRange, Txn and
 * Compaction requests ({@code kv.api.etcdserverpb}) with etcd 3.5's semantics over a
 * {@link kv.backend.Backend}; {@link kv.mvcc.WatchStream} delivers {@link kv.mvcc.WatchUpdate}s;
 * {@link kv.mvcc.Compaction} is the batched physical part of a compaction. Expected failures are
 * {@link kv.mvcc.MvccException}s whose {@link kv.mvcc.MvccError} carries etcd's message.
 *
 * <p>Backend layout (as etcd's): bucket {@code "key"} maps a {@link kv.mvcc.Revision}'s bytes to a
 * marshaled {@code mvccpb.KeyValue}; bucket {@code "meta"} holds {@code consistent_index},
 * {@code scheduledCompactRev} and {@code finishedCompactRev}; bucket {@code "lease"} the leases.
 * {@link kv.mvcc.MvccStore#restoreFrom} replaces the whole backend with a leader's
 * {@link kv.backend.BackendSnapshot} and rebuilds the store from it, in place.
 */
package kv.mvcc;
