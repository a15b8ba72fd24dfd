package kv.server.net;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One client URL: a listening socket serving the etcd gRPC services and, on the same port, plain
 * HTTP/1.1 ({@code /health}, {@code /version}, {@code /metrics}, the {@code /v3/...} JSON gateway).
 */
public final class ClientListener implements AutoCloseable {
    /**
     * What a listener needs; {@code maxRequestBytes} bounds a gRPC message and an HTTP body alike.
     * With {@code tls}, the listener serves gRPC over TLS only (plain HTTP endpoints are then on
     * {@code --listen-metrics-urls}).
     */
    public record Settings(InetSocketAddress address, int maxRequestBytes, Duration keepaliveMinTime,
                           Duration keepaliveInterval, Duration keepaliveTimeout, Optional<Tls> tls) {}

    /** PEM files for a TLS listener; with {@code clientCa}, clients must present a certificate it signed. */
    public record Tls(Path certFile, Path keyFile, Optional<Path> clientCa) {}

    private final Server server;

    private ClientListener(Server server) {
        this.server = server;
    }

    /** Binds and starts serving; fails with a message naming the address when it cannot bind. */
    public static ClientListener start(Settings s, List<ServerServiceDefinition> services, List<ServerInterceptor> interceptors,
                                       HttpHandler http, Executor executor) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(s.address())
                // the KV calls never block (they propose, or read the store, and complete from a
                // future): they run on the transport thread that decoded them, which saves a thread
                // hand-off per request (put c100: 47-53 us of server CPU per request instead of
                // 68-73, 16-17k QPS -> 19.5-20.8k); every other call may wait and runs on `executor`
                .directExecutor().callExecutor(new CallExecutors(executor))
                // etcd accepts requests slightly above the limit on the wire and rejects them itself
                // with "etcdserver: request is too large"; grpc's own limit is the hard stop behind it
                .maxInboundMessageSize(s.maxRequestBytes() + 512 * 1024)
                .permitKeepAliveTime(s.keepaliveMinTime().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true);
        if (s.tls().isPresent()) {
            b.sslContext(sslContext(s.tls().get()));
        } else {
            b.protocolNegotiator(new SniffingNegotiator(http, s.maxRequestBytes()));
        }
        if (!s.keepaliveInterval().isZero()) {
            b.keepAliveTime(s.keepaliveInterval().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!s.keepaliveTimeout().isZero()) {
            b.keepAliveTimeout(s.keepaliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        for (ServerServiceDefinition d : services) {
            b.addService(ServerInterceptors.intercept(d, interceptors));
        }
        try {
            return new ClientListener(b.build().start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + s.address() + ": " + e.getMessage(), e);
        }
    }

    private static SslContext sslContext(Tls tls) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile()));
            if (tls.clientCa().isPresent()) {
                ssl.trustManager(tls.clientCa().get().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return ssl.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use TLS files " + tls.certFile() + " / " + tls.keyFile() + ": " + e.getMessage(), e);
        }
    }

    /** The port bound (useful when port 0 was asked for). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    }

    /** Stops accepting, lets calls in flight finish for up to {@code grace}, then cuts the rest. */
    public void close(Duration grace) {
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
