package kv.server.boot;

import java.net.URI;
import kv.admin.clusterpb.Member;
import kv.peer.ClusterView;
import kv.peer.PeerMember;
import kv.peer.RaftHandler;
import kv.raft.raftpb.Message;
import kv.server.cluster.ClusterMembers;
import kv.server.node.NodeStoppedException;
import kv.server.node.RaftNode;

/**
 * What the peer layer calls: hands messages and reports to the raft node once it exists (the
 * transport is built before the node, which sends through it), and answers the Members RPC from
 * the applied member list. A message from a removed member is dropped, as etcd refuses it.
 */
final class NodeHandle implements RaftHandler {
    private static final System.Logger LOG = System.getLogger(NodeHandle.class.getName());
    private final ClusterMembers members;
    private final kv.mvcc.MvccStore store;
    private volatile RaftNode node;

    NodeHandle(ClusterMembers members, kv.mvcc.MvccStore store) {
        this.members = members;
        this.store = store;
    }

    void attach(RaftNode n) {
        node = n;
    }

    @Override
    public void receive(Message m) {
        RaftNode n = node;
        if (n == null) {
            return;
        }
        if (members.isRemoved(m.getFrom())) {
            LOG.log(System.Logger.Level.DEBUG, "dropped {0} from removed member {1}", m.getType(), Long.toHexString(m.getFrom()));
            return;
        }
        try {
            n.receive(m);
        } catch (NodeStoppedException stopped) {
            // the member is stopping; the peer will find out when its stream breaks
        }
    }

    @Override
    public void reportUnreachable(long peerId) {
        RaftNode n = node;
        if (n != null) {
            n.reportUnreachable(peerId);
        }
    }

    @Override
    public void reportSnapshot(long peerId, boolean ok) {
        RaftNode n = node;
        if (n != null) {
            n.reportSnapshot(peerId, ok);
        }
    }

    @Override
    public kv.peer.PeerHash hashKv(long revision) {
        RaftNode n = node;
        if (n == null) {
            throw new IllegalStateException("etcdserver: not started");
        }
        try {
            return n.onApplyThread(() -> kv.server.cluster.CorruptionCheck.hashAt(store, revision)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof IllegalStateException ise ? ise : new IllegalStateException(String.valueOf(e.getCause()));
        }
    }

    @Override
    public ClusterView members() {
        return new ClusterView(members.clusterId(), members.list().stream().map(NodeHandle::peer).toList());
    }

    private static PeerMember peer(Member m) {
        return new PeerMember(m.getId(), m.getName(), m.getPeerUrlsList().stream().map(URI::create).toList(),
                m.getClientUrlsList().stream().map(URI::create).toList(), m.getIsLearner());
    }
}
