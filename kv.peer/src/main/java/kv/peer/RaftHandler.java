package kv.peer;

import kv.raft.raftpb.Message;

/**
 * The local raft member as the peer layer sees it; implemented by kvd's raft node.
 *
 * <p>All methods are called from transport and gRPC threads, {@link #reportUnreachable} also from
 * the thread calling {@link PeerTransport#send}. Implementations must be thread-safe and must not
 * block: they should hand the event to the raft thread (etcd's {@code raftNode} does the same).
 */
public interface RaftHandler {
    /** A message from another member, addressed to this one; per sender in the order sent. */
    void receive(Message m);

    /** Messages to {@code peerId} were dropped or its stream broke (raft's {@code ReportUnreachable}). */
    void reportUnreachable(long peerId);

    /** A snapshot sent to {@code peerId} finished: applied by the receiver ({@code ok}) or failed. */
    void reportSnapshot(long peerId, boolean ok);

    /** The current membership, served to members asking through the Members RPC. */
    ClusterView members();

    /**
     * This member's HashKV at {@code revision} (etcd's peer {@code /members/hashkv}), for the
     * corruption check; throws {@link IllegalStateException} with the reason when that revision is
     * compacted or not applied yet.
     */
    PeerHash hashKv(long revision);
}
