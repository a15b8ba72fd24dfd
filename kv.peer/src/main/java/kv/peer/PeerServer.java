package kv.peer;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import kv.peer.internal.Counters;
import kv.peer.internal.Dialer;
import kv.peer.internal.PeerService;

/**
 * The member's peer listener (etcd's {@code --listen-peer-urls}): one gRPC server per URL serving
 * the peer protocol. Messages go to {@link RaftHandler#receive} in the order each sender sent
 * them; snapshot data goes to {@link SnapshotData#receive} on a thread per snapshot, then the
 * MsgSnap to the handler. Calls from another cluster or for another member are refused with
 * FAILED_PRECONDITION. An https URL is served with the peer certificate, and with
 * {@link PeerTls#clientCertAuth} only to clients whose certificate the trusted CA signed.
 *
 * <p>Created bound and serving by {@link #start}; thread-safe; {@link #close} stops it. Handler
 * calls run on gRPC's executor threads.
 */
public final class PeerServer implements AutoCloseable {
    private static final int MAX_MESSAGE_BYTES = 128 << 20;

    private final List<Server> servers;
    private final Counters counters;

    private PeerServer(List<Server> servers, Counters counters) {
        this.servers = servers;
        this.counters = counters;
    }

    /**
     * Binds every URL (host 127.0.0.1, localhost, 0.0.0.0 or another local address; port 0 picks a
     * free port) and starts serving; on a failure, closes what was bound and throws, naming the URL.
     */
    public static PeerServer start(PeerConfig config, List<URI> listenUrls, RaftHandler handler, SnapshotData snapshots) {
        config.requireIds();
        Dialer.checkUrls(listenUrls);
        Counters counters = new Counters();
        var service = PeerService.definition(config.memberId(), config.clusterId(), handler, snapshots, counters);
        List<Server> servers = new ArrayList<>();
        try {
            for (URI url : listenUrls) {
                NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(url.getHost(), url.getPort()))
                        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                        .permitKeepAliveTime(5, TimeUnit.SECONDS)
                        .permitKeepAliveWithoutCalls(true)
                        .addService(service);
                if (url.getScheme().equals("https")) {
                    b.sslContext(serverTls(config.tls(), url));
                }
                servers.add(start(b, url));
            }
        } catch (RuntimeException e) {
            servers.forEach(Server::shutdownNow);
            throw e;
        }
        return new PeerServer(List.copyOf(servers), counters);
    }

    private static Server start(NettyServerBuilder b, URI url) {
        try {
            return b.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("peer: cannot listen on " + url + ": " + e.getMessage(), e);
        }
    }

    private static SslContext serverTls(PeerTls tls, URI url) {
        if (!tls.hasCertificate()) {
            throw new IllegalArgumentException("peer: listen URL " + url + " is https but no peer cert file and key file are set");
        }
        try {
            SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.certFile().get().toFile(), tls.keyFile().get().toFile()));
            if (tls.clientCertAuth()) {
                ssl.trustManager(tls.trustedCaFile().get().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return ssl.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("peer: cannot use TLS files " + tls.certFile().get() + " / " + tls.keyFile().get()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The ports bound, in the order of the listen URLs (useful when port 0 was asked for). */
    public List<Integer> boundPorts() {
        return servers.stream().map(s -> ((InetSocketAddress) s.getListenSockets().getFirst()).getPort()).toList();
    }

    /** Messages and batches received and messages refused since the start. */
    public PeerStats stats() {
        return counters.snapshot();
    }

    /** Stops accepting and cuts the calls in flight (streams are long-lived: waiting would not end them). */
    @Override
    public void close() {
        servers.forEach(Server::shutdownNow);
        for (Server s : servers) {
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
