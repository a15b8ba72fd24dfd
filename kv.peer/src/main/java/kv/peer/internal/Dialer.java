package kv.peer.internal;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import kv.peer.PeerConfig;
import kv.peer.PeerTls;

/**
 * Opens gRPC channels to other members' peer URLs: plain text for http, TLS for https (the
 * member's certificate as client certificate, the trusted CA to verify the server). The TLS
 * context is built once. Thread-safe.
 */
public final class Dialer {
    /** The largest message a peer accepts or a client reads: a batch, a snapshot chunk, a member list. */
    static final int MAX_MESSAGE_BYTES = 128 << 20;
    private static final long KEEPALIVE_SECONDS = 10;
    private static final long KEEPALIVE_TIMEOUT_SECONDS = 5;

    private final PeerConfig config;
    private SslContext tls;

    /** Fails at once, naming the files, when the TLS material cannot be used. */
    public Dialer(PeerConfig config) {
        this.config = config;
        if (config.tls().hasCertificate() || config.tls().trustedCaFile().isPresent()) {
            this.tls = clientContext(config.tls());
        }
    }

    public PeerConfig config() {
        return config;
    }

    /** A new channel to {@code url}; connects lazily, fails calls after the dial timeout. */
    public ManagedChannel open(URI url) {
        checkUrl(url);
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.dialTimeout().toMillis()))
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                // callbacks only record state and wake the owning thread, so they may run on the event loop
                .directExecutor();
        if (url.getScheme().equals("https")) {
            b.sslContext(clientTls());
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    private synchronized SslContext clientTls() {
        if (tls == null) {
            tls = clientContext(config.tls());
        }
        return tls;
    }

    private static SslContext clientContext(PeerTls t) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (t.trustedCaFile().isPresent()) {
                b.trustManager(t.trustedCaFile().get().toFile());
            }
            if (t.hasCertificate()) {
                b.keyManager(t.certFile().get().toFile(), t.keyFile().get().toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("peer: cannot use TLS files " + t + ": " + e.getMessage(), e);
        }
    }

    /** Fails unless {@code url} is an http or https URL with a host and a port. */
    public static void checkUrl(URI url) {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("peer URL " + url + " must use http or https");
        }
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("peer URL " + url + " needs a host and a port");
        }
    }

    /** Fails unless every URL is valid and there is at least one. */
    public static List<URI> checkUrls(List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("peer: no peer URL given");
        }
        urls.forEach(Dialer::checkUrl);
        return List.copyOf(urls);
    }
}
