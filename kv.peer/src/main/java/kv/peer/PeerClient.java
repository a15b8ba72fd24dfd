package kv.peer;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.peer.internal.Dialer;
import kv.peer.internal.MembersClient;

/**
 * One-off calls to other members outside a {@link PeerTransport}. Stateless and thread-safe.
 */
public final class PeerClient {
    private PeerClient() {}

    /**
     * Asks the members at {@code peerUrls}, in turn, for the cluster membership (etcd's
     * {@code GET /members} on a peer URL): what a member started with
     * {@code --initial-cluster-state existing} needs before it can join. Uses {@code config}'s TLS
     * settings and dial timeout; its ids may be zero (not known yet), otherwise a member of another
     * cluster refuses the call.
     *
     * @throws IOException naming every URL and why it failed, when none answered within {@code timeout}
     */
    public static ClusterView fetchMembers(List<URI> peerUrls, PeerConfig config, Duration timeout) throws IOException {
        List<URI> urls = Dialer.checkUrls(peerUrls);
        Dialer dialer = new Dialer(config);
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            ManagedChannel channel = dialer.open(url);
            try {
                return MembersClient.fetch(channel, config, timeout);
            } catch (StatusRuntimeException e) {
                failures.add(url + ": " + e.getStatus().getCode()
                        + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
            } finally {
                channel.shutdownNow();
                try {
                    channel.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        throw new IOException("peer: could not retrieve cluster information from the given URLs " + urls + " ("
                + String.join("; ", failures) + ")");
    }

    /**
     * Asks member {@code peerId} at {@code peerUrls} for its HashKV at {@code revision} (the corruption check).
     *
     * @throws IOException naming the URLs and why, when none answered or the member cannot hash that revision
     */
    public static PeerHash hashKv(long peerId, List<URI> peerUrls, PeerConfig config, long revision, Duration timeout) throws IOException {
        List<URI> urls = Dialer.checkUrls(peerUrls);
        Dialer dialer = new Dialer(config);
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            ManagedChannel channel = dialer.open(url);
            try {
                return MembersClient.hashKv(channel, config, peerId, revision, timeout);
            } catch (StatusRuntimeException e) {
                failures.add(url + ": " + e.getStatus().getCode()
                        + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
            } finally {
                channel.shutdownNow();
            }
        }
        throw new IOException("peer: no HashKV at revision " + revision + " from " + urls + " (" + String.join("; ", failures) + ")");
    }
}
