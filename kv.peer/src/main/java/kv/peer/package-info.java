/**
 * The peer transport's API: {@link kv.peer.PeerTransport} carries the local raft member's messages
 * to the other members, {@link kv.peer.PeerServer} receives theirs, {@link kv.peer.PeerClient}
 * fetches the membership from a running member. kvd implements {@link kv.peer.RaftHandler} and
 * {@link kv.peer.SnapshotData}; the rest are values.
 */
package kv.peer;
