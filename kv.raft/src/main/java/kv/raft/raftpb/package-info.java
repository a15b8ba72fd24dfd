/**
 * Raft's wire messages and durable records, generated from {@code raft.proto} (field numbers follow
 * etcd's raftpb). {@code Entry}, {@code HardState}, {@code Snapshot}, {@code SnapshotMetadata} and
 * {@code ConfState} are also the WAL's record payloads. Generated protobuf values are immutable and
 * thread-safe; builders are not.
 */
package kv.raft.raftpb;
