package kv.server.boot;

import java.net.URI;
import java.time.Duration;
import kv.admin.clusterpb.Member;
import kv.peer.PeerTransport;
import kv.server.cluster.ClusterMembers;

/**
 * Keeps the peer transport's list in step with the applied member list, and stops this member
 * once it is removed: after a short delay, so that the leader learns the removal committed before
 * the member goes (etcd waits too), instead of seeing it vanish mid-change.
 */
final class PeerUpdates implements ClusterMembers.Listener {
    private static final System.Logger LOG = System.getLogger(PeerUpdates.class.getName());
    private static final Duration REMOVED_STOP_DELAY = Duration.ofSeconds(1);
    private final PeerTransport transport;
    private final long self;
    /** The URLs each peer was given last: re-adding the same ones must not restart its streams (and drop what they queued). */
    private final java.util.Map<Long, java.util.List<URI>> known = new java.util.concurrent.ConcurrentHashMap<>();

    PeerUpdates(PeerTransport transport, long self) {
        this.transport = transport;
        this.self = self;
    }

    @Override
    public void added(Member m) {
        if (m.getId() == self) {
            return;
        }
        java.util.List<URI> urls = urls(m);
        if (!transport.peers().contains(m.getId())) {
            transport.addPeer(m.getId(), urls);
        } else if (!urls.equals(known.get(m.getId()))) {
            transport.updatePeer(m.getId(), urls);
        }
        known.put(m.getId(), urls);
    }

    @Override
    public void updated(Member m) {
        added(m);
    }

    @Override
    public void removed(long id) {
        if (id != self) {
            known.remove(id);
            transport.removePeer(id);
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "this member ({0}) has been permanently removed from the cluster; stopping", Long.toHexString(id));
        Thread.ofVirtual().name("removed-stop").start(() -> {
            try {
                Thread.sleep(REMOVED_STOP_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Kvd.stopRemoved();
        });
    }

    private static java.util.List<URI> urls(Member m) {
        return m.getPeerUrlsList().stream().map(URI::create).toList();
    }
}
