package kv.peer;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kv.peer.internal.Counters;
import kv.peer.internal.Dialer;
import kv.peer.internal.PeerHeaders;
import kv.peer.internal.RemotePeer;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;

/**
 * Sends the local raft member's messages to the other members (etcd's rafthttp transport, over
 * gRPC). Each peer has a bounded outgoing queue drained by a writer thread into one long-lived
 * stream, everything queued going out as one batch; a MsgSnap goes out on its own thread with the
 * backend data from {@link SnapshotData}. Messages are lost, never delayed without bound: a full
 * queue or a broken stream drops them and tells raft through
 * {@link RaftHandler#reportUnreachable}; a broken stream is reopened with backoff (100 ms doubling
 * to 2 s), over the peer's URLs in turn.
 *
 * <p>Thread-safe. {@link #send} never blocks; the membership methods may be called from any
 * thread at run time. Threads: one writer per peer ({@code kv-peer-writer-<id>}) and one per
 * snapshot in flight ({@code kv-peer-snapshot-<id>}), all daemons, all stopped by {@link #close}.
 * The transport owns its channels; it does not own the handler or the snapshot data.
 */
public final class PeerTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Dialer dialer;
    private final RaftHandler handler;
    private final SnapshotData snapshots;
    private final Counters counters = new Counters();
    private final ConcurrentHashMap<Long, RemotePeer> peers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A transport with no peers yet; fails on a config without member or cluster id. */
    public PeerTransport(PeerConfig config, RaftHandler handler, SnapshotData snapshots) {
        config.requireIds();
        this.dialer = new Dialer(config);
        this.handler = handler;
        this.snapshots = snapshots;
    }

    /**
     * Queues each message for its peer without blocking. A message to an unknown peer is dropped;
     * a full queue drops the message and reports the peer unreachable (once per call and peer).
     * MsgSnap starts a snapshot transfer, reported through {@link RaftHandler#reportSnapshot}.
     */
    public void send(List<Message> messages) {
        // one list per peer, in the order given: each peer's messages go out as one batch
        Map<RemotePeer, List<Message>> byPeer = new LinkedHashMap<>();
        for (Message m : messages) {
            RemotePeer p = closed ? null : peers.get(m.getTo());
            if (p == null) {
                counters.dropped(1);
                LOG.log(Level.DEBUG, () -> "dropped " + m.getType() + " to unknown member " + PeerHeaders.hex(m.getTo()));
            } else if (m.getType() == MessageType.MSG_SNAP) {
                p.sendSnapshot(m);
            } else {
                byPeer.computeIfAbsent(p, k -> new ArrayList<>(messages.size())).add(m);
            }
        }
        byPeer.forEach((p, list) -> {
            int dropped = p.send(list);
            if (dropped > 0) {
                long to = list.getFirst().getTo();
                counters.dropped(dropped);
                LOG.log(Level.DEBUG, () -> "queue to member " + PeerHeaders.hex(to) + " is full, dropping messages");
                handler.reportUnreachable(to);
            }
        });
    }

    /** Starts talking to member {@code id} at {@code peerUrls}; fails if it is already known. */
    public void addPeer(long id, List<URI> peerUrls) {
        checkOpen();
        if (id == dialer.config().memberId()) {
            throw new IllegalArgumentException("peer: member " + PeerHeaders.hex(id) + " is this member");
        }
        peers.compute(id, (k, old) -> {
            if (old != null) {
                throw new IllegalArgumentException("peer: member " + PeerHeaders.hex(id) + " already added");
            }
            return new RemotePeer(id, peerUrls, dialer, handler, snapshots, counters);
        });
        LOG.log(Level.INFO, () -> "added peer " + PeerHeaders.hex(id) + " " + peerUrls);
    }

    /** Moves member {@code id} to new URLs: its streams restart there (queued messages are dropped). */
    public void updatePeer(long id, List<URI> peerUrls) {
        checkOpen();
        RemotePeer[] replaced = new RemotePeer[1];
        peers.computeIfPresent(id, (k, o) -> {
            replaced[0] = o;
            return new RemotePeer(id, peerUrls, dialer, handler, snapshots, counters);
        });
        if (replaced[0] == null) {
            throw new IllegalArgumentException("peer: member " + PeerHeaders.hex(id) + " not found");
        }
        replaced[0].close(CLOSE_GRACE);
        LOG.log(Level.INFO, () -> "updated peer " + PeerHeaders.hex(id) + " to " + peerUrls);
    }

    /** Stops talking to member {@code id}, closing its streams; unknown ids are ignored. */
    public void removePeer(long id) {
        RemotePeer old = peers.remove(id);
        if (old != null) {
            old.close(CLOSE_GRACE);
            LOG.log(Level.INFO, () -> "removed peer " + PeerHeaders.hex(id));
        }
    }

    /** The ids of the peers currently known. */
    public Set<Long> peers() {
        return Set.copyOf(peers.keySet());
    }

    /** Messages and batches sent and messages dropped since the start. */
    public PeerStats stats() {
        return counters.snapshot();
    }

    /** Stops every writer and snapshot sender and closes every channel; later sends are dropped. */
    @Override
    public void close() {
        closed = true;
        for (Long id : List.copyOf(peers.keySet())) {
            removePeer(id);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("peer: transport is closed");
        }
    }
}
