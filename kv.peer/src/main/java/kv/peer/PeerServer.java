package kv.peer;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import kv.peer.internal.Counters;
import kv.peer.internal.Dialer;
import kv.peer.internal.PeerService;
import kv.peer.internal.peerpb.PeerGrpc;

/**
 * The member's peer listener (etcd's {@code --listen-peer-urls}): one gRPC server per URL serving
 * the peer protocol. Messages go to {@link RaftHandler#receive} in the order each sender sent
 * them; snapshot data goes to {@link SnapshotData#receive} on a thread per snapshot, then the
 * MsgSnap to the handler. Calls from another cluster or for another member are refused with
 * FAILED_PRECONDITION. An https URL is served with the peer certificate, and with
 * {@link PeerTls#clientCertAuth} only to clients whose certificate the trusted CA signed.
 *
 * <p>Created bound and serving by {@link #start}; thread-safe; {@link #close} stops it. Handler
 * calls for raft messages run on the transport threads, the others on virtual threads.
 */
public final class PeerServer implements AutoCloseable {
    private static final int MAX_MESSAGE_BYTES = 128 << 20;

    private final List<Server> servers;
    private final Counters counters;
    private final ExecutorService blocking;

    private PeerServer(List<Server> servers, Counters counters, ExecutorService blocking) {
        this.servers = servers;
        this.counters = counters;
        this.blocking = blocking;
    }

    /** Runs the raft message stream's handlers inline on the transport thread, every other call on {@code blocking}. */
    private record StreamInline(Executor blocking) implements ServerCallExecutorSupplier {
        @Override
        public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
            return call.getMethodDescriptor().getFullMethodName().equals(PeerGrpc.getStreamMethod().getFullMethodName()) ? null : blocking;
        }
    }

    /**
     * Binds every URL (host 127.0.0.1, localhost, 0.0.0.0 or another local address; port 0 picks a
     * free port) and starts serving; on a failure, closes what was bound and throws, naming the URL.
     */
    public static PeerServer start(PeerConfig config, List<URI> listenUrls, RaftHandler handler, SnapshotData snapshots) {
        config.requireIds();
        Dialer.checkUrls(listenUrls);
        Counters counters = new Counters();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        var service = PeerService.definition(config.memberId(), config.clusterId(), handler, snapshots, counters);
        List<Server> servers = new ArrayList<>();
        try {
            for (URI url : listenUrls) {
                NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(url.getHost(), url.getPort()))
                        // raft's message stream only hands each message to the handler's queue: it
                        // runs on the transport thread, without a hand-off per batch; snapshots,
                        // members and hashes may wait and run on virtual threads
                        .directExecutor().callExecutor(new StreamInline(blocking))
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
            blocking.shutdownNow();
            throw e;
        }
        return new PeerServer(List.copyOf(servers), counters, blocking);
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
        blocking.shutdownNow();
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
