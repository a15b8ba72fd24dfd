package kv.peer.internal;

import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The channel to one peer, over one of its URLs at a time. When a call on the channel fails, the
 * owner {@link #rotate}s: the channel is shut down (calls in flight on it may finish) and the next
 * URL is tried with a fresh channel, which also skips gRPC's own long reconnect backoff.
 * Thread-safe: the peer's writer and snapshot senders share it.
 */
final class PeerChannels {
    private final Dialer dialer;
    private final List<URI> urls;
    private int next;
    private ManagedChannel current;
    private URI currentUrl;
    private boolean closed;

    PeerChannels(Dialer dialer, List<URI> urls) {
        this.dialer = dialer;
        this.urls = Dialer.checkUrls(urls);
    }

    List<URI> urls() {
        return urls;
    }

    /** The channel in use, opened on the next URL if there is none. */
    synchronized ManagedChannel current() {
        if (closed) {
            throw new IllegalStateException("peer: channels to " + urls + " are closed");
        }
        if (current == null) {
            currentUrl = urls.get(next);
            next = (next + 1) % urls.size();
            current = dialer.open(currentUrl);
        }
        return current;
    }

    /** The URL of the channel in use, for log messages. */
    synchronized URI currentUrl() {
        return currentUrl;
    }

    /** A call on {@code failed} broke: drop that channel so that the next call uses the next URL. */
    synchronized void rotate(ManagedChannel failed) {
        if (failed == current) {
            current.shutdown();
            current = null;
        }
    }

    /** Shuts the channel down, cutting calls still in flight after {@code graceMillis}. */
    void close(long graceMillis) {
        ManagedChannel c;
        synchronized (this) {
            closed = true;
            c = current;
            current = null;
        }
        if (c == null) {
            return;
        }
        c.shutdown();
        try {
            if (!c.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                c.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.shutdownNow();
        }
    }
}
