package kv.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.AbstractStub;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import kv.api.etcdserverpb.AuthGrpc;
import kv.api.etcdserverpb.AuthenticateRequest;
import kv.api.etcdserverpb.ClusterGrpc;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.v3electionpb.ElectionGrpc;
import kv.api.v3lockpb.LockGrpc;

/**
 * A gRPC connection to an etcd-compatible cluster, as etcdctl's client makes one: every endpoint is
 * an address of one channel (the first reachable one serves), unary calls wait for the connection
 * and give up after the command timeout with "context deadline exceeded", and with credentials the
 * auth token is fetched once and sent with every call. Owns the channel; close it. Thread-safe.
 */
final class EtcdClient implements AutoCloseable {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    /** How long {@link #close()} lets the event loop finish closing the connection. */
    private static final long CLOSE_WAIT_MILLIS = 500;

    private final ManagedChannel managed;
    private final Channel channel;
    private final Duration commandTimeout;
    private final EventLoopGroup loop;

    private EtcdClient(ManagedChannel managed, Channel channel, Duration commandTimeout, EventLoopGroup loop) {
        this.managed = managed;
        this.channel = channel;
        this.commandTimeout = commandTimeout;
        this.loop = loop;
    }

    /** Opens the channel and, with credentials, authenticates (a refusal is etcdctl's ExitBadConnection). */
    static EtcdClient connect(ClientConfig cfg) {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kvctl-io", true), NioIoHandler.newFactory());
        ManagedChannel managed;
        try {
            managed = channel(cfg, loop);
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        EtcdClient plain = new EtcdClient(managed, managed, cfg.commandTimeout(), loop);
        if (cfg.credentials().isEmpty()) {
            return plain;
        }
        ClientConfig.Credentials c = cfg.credentials().get();
        try {
            // etcdctl fails here while creating its client: a bad connection, not a failed command
            String token = plain.call(ExitCode.BAD_CONNECTION, () -> plain.withDeadline(AuthGrpc.newBlockingStub(managed))
                    .authenticate(AuthenticateRequest.newBuilder().setName(c.user()).setPassword(c.password()).build())).getToken();
            return new EtcdClient(managed, ClientInterceptors.intercept(managed, tokenInterceptor(token)), cfg.commandTimeout(), loop);
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static ClientInterceptor tokenInterceptor(String token) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(TOKEN, token);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    @SuppressWarnings("deprecation") // a static resolver is the plain way to give one channel several addresses
    private static ManagedChannel channel(ClientConfig cfg, EventLoopGroup loop) {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        String authority = null;
        for (String endpoint : cfg.endpoints()) {
            URI uri = endpointUri(endpoint);
            groups.add(new EquivalentAddressGroup(List.<SocketAddress>of(new InetSocketAddress(uri.getHost(), uri.getPort()))));
            authority = authority == null ? uri.getHost() + ":" + uri.getPort() : authority;
        }
        NettyChannelBuilder b = NettyChannelBuilder.forTarget("kvctl:///" + authority)
                .nameResolverFactory(new StaticResolverFactory(groups, authority))
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .overrideAuthority(authority)
                .keepAliveTime(cfg.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(cfg.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (cfg.tls()) {
            b.negotiationType(NegotiationType.TLS).sslContext(sslContext(cfg));
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    /** {@code host:port}, {@code http://host:port} or {@code https://host:port} as a URI. */
    static URI endpointUri(String endpoint) {
        String withScheme = endpoint.contains("://") ? endpoint : "http://" + endpoint;
        URI uri = URI.create(withScheme);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw CliException.badArgs("invalid endpoint " + endpoint + " (expected host:port)");
        }
        return uri;
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(ClientConfig cfg) {
        try {
            // the JDK provider keeps TLS sessions per context: with netty's OpenSSL one, a session made by an
            // earlier --insecure-skip-tls-verify run in the same JVM was resumed without checking the server
            SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
            if (cfg.skipsVerification()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (cfg.caCert().isPresent()) {
                b.trustManager(new File(cfg.caCert().get()));
            }
            if (cfg.cert().isPresent() || cfg.key().isPresent()) {
                if (cfg.cert().isEmpty() || cfg.key().isEmpty()) {
                    throw CliException.badArgs("--cert and --key must be given together");
                }
                b.keyManager(new File(cfg.cert().get()), new File(cfg.key().get()));
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw CliException.badArgs(e.getMessage());
        }
    }

    /** Waits until the channel is connected to some endpoint; false when {@code timeout} passed first. */
    boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        io.grpc.ConnectivityState state = managed.getState(true);
        while (state != io.grpc.ConnectivityState.READY) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || state == io.grpc.ConnectivityState.SHUTDOWN) {
                return false;
            }
            java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
            managed.notifyWhenStateChanged(state, changed::countDown);
            changed.await(left, TimeUnit.NANOSECONDS);
            state = managed.getState(true);
        }
        return true;
    }

    /** A stub that waits for the connection and fails after the command timeout. */
    <S extends AbstractStub<S>> S withDeadline(S stub) {
        return stub.withWaitForReady().withDeadlineAfter(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    KVGrpc.KVBlockingStub kv() {
        return withDeadline(KVGrpc.newBlockingStub(channel));
    }

    LeaseGrpc.LeaseBlockingStub lease() {
        return withDeadline(LeaseGrpc.newBlockingStub(channel));
    }

    ClusterGrpc.ClusterBlockingStub cluster() {
        return withDeadline(ClusterGrpc.newBlockingStub(channel));
    }

    MaintenanceGrpc.MaintenanceBlockingStub maintenance() {
        return withDeadline(MaintenanceGrpc.newBlockingStub(channel));
    }

    AuthGrpc.AuthBlockingStub auth() {
        return withDeadline(AuthGrpc.newBlockingStub(channel));
    }

    /** Streams and blocking calls that last as long as the command (watch, keep-alive, lock, snapshot). */
    Channel channel() {
        return channel;
    }

    WatchGrpc.WatchStub watchAsync() {
        return WatchGrpc.newStub(channel).withWaitForReady();
    }

    LockGrpc.LockBlockingStub lockBlocking() {
        return LockGrpc.newBlockingStub(channel).withWaitForReady();
    }

    ElectionGrpc.ElectionBlockingStub electionBlocking() {
        return ElectionGrpc.newBlockingStub(channel).withWaitForReady();
    }

    /** Runs one call; a gRPC failure becomes etcdctl's error line with ExitError. */
    <T> T call(Supplier<T> rpc) {
        return call(ExitCode.ERROR, rpc);
    }

    /** Runs one call; a gRPC failure becomes etcdctl's error line with the given exit code. */
    <T> T call(ExitCode onFailure, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw new CliException(onFailure, describe(e.getStatus()));
        }
    }

    /**
     * The text etcdctl shows for a failed call: etcd's own errors by their message, a call that never
     * reached a member as "context deadline exceeded", anything else as Go's gRPC error string.
     */
    static String describe(Status s) {
        String d = s.getDescription() == null ? "" : s.getDescription();
        if (d.startsWith("etcdserver: ") || d.startsWith("mvcc: ") || d.startsWith("auth: ")) {
            return d;
        }
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED || s.getCode() == Status.Code.UNAVAILABLE && s.getCause() != null) {
            return "context deadline exceeded";
        }
        if (s.getCode() == Status.Code.CANCELLED) {
            return "context canceled";
        }
        return "rpc error: code = " + goCodeName(s.getCode()) + " desc = " + d;
    }

    private static String goCodeName(Status.Code code) {
        StringBuilder sb = new StringBuilder();
        for (String part : code.name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString().replace("Ok", "OK");
    }

    /**
     * Closes the channel and stops this client's event loop, waiting (briefly) for its thread to
     * end: the JVM's exit waits up to 300 ms for threads still inside native code, and an idle
     * Netty selector thread is exactly that. gRPC's shared event loop, which lingers a second
     * after its last channel, is not used for the same reason.
     */
    @Override
    public void close() {
        managed.shutdownNow();
        loop.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }

    /** Hands the fixed endpoint list to the channel's pick-first policy. */
    private static final class StaticResolverFactory extends NameResolver.Factory {
        private final List<EquivalentAddressGroup> groups;
        private final String authority;

        StaticResolverFactory(List<EquivalentAddressGroup> groups, String authority) {
            this.groups = groups;
            this.authority = authority;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return authority;
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(io.grpc.StatusOr.fromValue(groups)).build());
                }

                @Override
                public void shutdown() {}
            };
        }

        @Override
        public String getDefaultScheme() {
            return "kvctl";
        }
    }
}
