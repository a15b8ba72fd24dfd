package kv.peer.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kv.peer.RaftHandler;
import kv.peer.SnapshotData;
import kv.raft.raftpb.Message;

/**
 * Everything the transport holds for one other member: its URLs, the message writer (one thread,
 * one stream) and the snapshots being sent to it (one thread and channel each). Lives from
 * {@code addPeer} to {@code removePeer} or the transport's close. Thread-safe.
 */
public final class RemotePeer {
    private final long id;
    private final Dialer dialer;
    private final PeerChannels channels;
    private final MessageWriter writer;
    private final RaftHandler handler;
    private final SnapshotData snapshots;
    private final Set<SnapshotSender> sending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public RemotePeer(long id, List<URI> urls, Dialer dialer, RaftHandler handler, SnapshotData snapshots, Counters counters) {
        this.id = id;
        this.dialer = dialer;
        this.channels = new PeerChannels(dialer, urls);
        this.handler = handler;
        this.snapshots = snapshots;
        var c = dialer.config();
        this.writer = new MessageWriter(c.memberId(), id, c.clusterId(), c.queueSize(), channels, handler, counters);
        writer.start();
    }

    public List<URI> urls() {
        return channels.urls();
    }

    /** Sends messages on the stream in order, without blocking; returns how many were dropped (queue full, peer closed). */
    public int send(List<Message> messages) {
        return writer.send(messages);
    }

    /** Starts sending a MsgSnap with its data on a thread of its own; reports the outcome to the handler. */
    public void sendSnapshot(Message msgSnap) {
        if (closed) {
            handler.reportSnapshot(id, false);
            return;
        }
        // the URL the message stream currently uses (or will use next), as the most likely to answer
        URI url = channels.currentUrl() != null ? channels.currentUrl() : channels.urls().getFirst();
        SnapshotSender[] self = new SnapshotSender[1];
        self[0] = new SnapshotSender(dialer, url, msgSnap, snapshots, handler, () -> sending.remove(self[0]));
        sending.add(self[0]);
        self[0].start();
        if (closed) {
            self[0].abort(); // close() may have passed over it
        }
    }

    /** Stops the writer (half-closing its stream), aborts snapshots in flight and closes the channel. */
    public void close(Duration grace) {
        closed = true;
        writer.close(grace);
        for (SnapshotSender s : sending) {
            s.abort();
        }
        for (SnapshotSender s : sending) {
            try {
                s.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close(grace.toMillis());
    }
}
