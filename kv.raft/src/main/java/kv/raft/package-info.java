/**
 * Raft consensus in the style of etcd-io/raft: a single-threaded state machine driven through
 * {@link kv.raft.RawNode} (tick, step, propose, ready/advance), reading its persisted log through
 * {@link kv.raft.Storage}. Configuration is {@link kv.raft.RaftConfig}; expected failures are
 * {@link kv.raft.RaftException}s. Nothing here is thread-safe unless its Javadoc says so.
 */
package kv.raft;
