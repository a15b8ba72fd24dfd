package kv.server.net;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
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
    /** What a listener needs; {@code maxRequestBytes} bounds a gRPC message and an HTTP body alike. */
    public record Settings(InetSocketAddress address, int maxRequestBytes, Duration keepaliveMinTime,
                           Duration keepaliveInterval, Duration keepaliveTimeout) {}

    private final Server server;

    private ClientListener(Server server) {
        this.server = server;
    }

    /** Binds and starts serving; fails with a message naming the address when it cannot bind. */
    public static ClientListener start(Settings s, List<ServerServiceDefinition> services, List<ServerInterceptor> interceptors,
                                       HttpHandler http, Executor executor) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(s.address())
                .protocolNegotiator(new SniffingNegotiator(http, s.maxRequestBytes()))
                .executor(executor)
                // etcd accepts requests slightly above the limit on the wire and rejects them itself
                // with "etcdserver: request is too large"; grpc's own limit is the hard stop behind it
                .maxInboundMessageSize(s.maxRequestBytes() + 512 * 1024)
                .permitKeepAliveTime(s.keepaliveMinTime().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true);
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
