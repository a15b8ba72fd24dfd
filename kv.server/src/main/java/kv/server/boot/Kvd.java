package kv.server.boot;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import kv.server.config.ServerConfig;
import kv.server.core.Member;
import kv.server.gateway.JsonGateway;
import kv.server.metrics.ServerMetrics;
import kv.server.net.ClientListener;
import kv.backend.Backend;
import kv.server.auth.AuthInterceptor;
import kv.server.auth.AuthService;
import kv.server.concurrency.ElectionService;
import kv.server.concurrency.LockService;
import kv.server.core.AutoCompactor;
import kv.server.core.LeaseKeeper;
import kv.server.rpc.ClusterService;
import kv.server.cluster.AttributePublisher;
import kv.server.cluster.ClusterMembers;
import kv.server.cluster.LearnerGate;
import kv.server.cluster.CorruptionCheck;
import kv.peer.PeerConfig;
import kv.peer.PeerTls;
import kv.server.rpc.KvService;
import kv.server.rpc.LeaseService;
import kv.server.rpc.MaintenanceService;
import kv.server.rpc.WatchService;

/**
 * A running kvd member: assembles the layers (through Guice, once), opens the client listeners last
 * and closes them first, and stops everything in reverse order on SIGTERM or on a fatal error (a
 * failed fsync stops the member rather than let it serve with a hole in its log).
 */
public final class Kvd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Kvd.class.getName());
    private static volatile Kvd running;

    private final Lifecycle lifecycle = new Lifecycle();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ClientListener> listeners = new ArrayList<>();
    private volatile Throwable fatal;

    private Kvd() {}

    /** Starts a member; on failure releases whatever was started and rethrows. */
    public static Kvd start(ServerConfig config) {
        JsonLogs.install(config.logLevel(), System.err);
        Kvd k = new Kvd();
        running = k;
        // SIGTERM stops what has started, also while the member still waits to join its cluster
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sigterm").unstarted(k::close));
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new KvdModule(config, k.lifecycle));
            Member member = injector.getInstance(Member.class);
            ExecutorService executor = injector.getInstance(ExecutorService.class);
            Backend backend = injector.getInstance(Backend.class);
            ClusterMembers members = injector.getInstance(ClusterMembers.class);
            HealthStatusManager health = new HealthStatusManager();
            KvService kv = new KvService(member);
            LeaseService lease = new LeaseService(member);
            MaintenanceService maintenance = new MaintenanceService(member, members, backend, scratch(config), executor);
            ClusterService cluster = new ClusterService(member, members);
            WatchService watch = new WatchService(member, executor, Math.toIntExact(config.maxRequest().bytes()), config.watchProgressNotifyInterval());
            List<ServerServiceDefinition> services = List.of(
                    kv.bindService(),
                    watch.bindService(),
                    lease.bindService(),
                    maintenance.bindService(),
                    cluster.bindService(),
                    new LockService(member, executor).bindService(),
                    new ElectionService(member, executor).bindService(),
                    new AuthService(member).bindService(),
                    health.getHealthService().bindService());
            LeaseKeeper leases = new LeaseKeeper(member, config.electionTimeout(), Duration.ofMillis(500), config.leaseCheckpoint());
            leases.start();
            k.lifecycle.started("lease keeper", leases, leases);
            AutoCompactor compactor = new AutoCompactor(member, config.autoCompaction());
            compactor.start();
            k.lifecycle.started("auto compactor", compactor, compactor);
            Chores chores = new Chores(member.store(), member.auth(), member::refreshBackendSize,
                    () -> member.onStoreThread(() -> {
                        member.store().commit();
                        return null;
                    }), member::expireRequests, Duration.ofMillis(100));
            chores.start();
            k.lifecycle.started("periodic chores", chores, chores);
            CorruptionCheck corruption = new CorruptionCheck(member, members, new PeerConfig(member.memberId(), member.clusterId(),
                    injector.getInstance(PeerTls.class), PeerConfig.DEFAULT_DIAL_TIMEOUT), config.corruptCheckTime());
            if (config.initialCorruptCheck()) {
                corruption.checkAtStart();
            }
            corruption.start();
            k.lifecycle.started("corruption check", corruption, corruption);
            AttributePublisher publisher = new AttributePublisher(member, members, config.name(),
                    config.advertiseClientUrls().stream().map(URI::toString).toList());
            publisher.start();
            k.lifecycle.started("attribute publisher", publisher, publisher);
            // as etcd: clients are served once this member has joined (its attributes applied through
            // raft), so a client's first request finds a leader
            try {
                if (!publisher.awaitPublished()) {
                    throw new IllegalStateException("stopped before this member could join its cluster");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the cluster", e);
            }
            HttpEndpoints http = new HttpEndpoints(member, injector.getInstance(ServerMetrics.class), new JsonGateway(kv, watch, lease, maintenance, cluster));
            for (URI url : config.listenClientUrls()) {
                var settings = new ClientListener.Settings(address(url), Math.toIntExact(config.maxRequest().bytes()),
                        config.grpcKeepaliveMinTime(), config.grpcKeepaliveInterval(), config.grpcKeepaliveTimeout(), tls(url, config));
                ClientListener l = ClientListener.start(settings, services, List.of(new AuthInterceptor(member.auth()), new LearnerGate(members)), http, executor);
                k.listeners.add(l);
                k.lifecycle.started("client listener " + url, l, () -> l.close(Duration.ofSeconds(10)));
                LOG.log(Level.INFO, "serving client requests on {0}", url);
            }
            for (URI url : config.listenMetricsUrls()) {
                var settings = new ClientListener.Settings(address(url), Math.toIntExact(config.maxRequest().bytes()),
                        config.grpcKeepaliveMinTime(), config.grpcKeepaliveInterval(), config.grpcKeepaliveTimeout(), java.util.Optional.empty());
                ClientListener l = ClientListener.start(settings, List.of(), List.of(), http, executor);
                k.lifecycle.started("metrics listener " + url, l, () -> l.close(Duration.ofSeconds(2)));
                LOG.log(Level.INFO, "serving /metrics and /health on {0}", url);
            }
            LOG.log(Level.INFO, "kvd member {0} of cluster {1} is ready", Long.toHexString(member.memberId()),
                    Long.toHexString(member.clusterId()));
            return k;
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            k.lifecycle.close();
            throw new StartFailedException(firstCause(e), e);
        } catch (RuntimeException | Error e) {
            k.lifecycle.close();
            throw e;
        }
    }

    /** What went wrong, without Guice's report around it (one start-up failure shows up once per dependent). */
    private static String firstCause(RuntimeException e) {
        var messages = e instanceof com.google.inject.CreationException c ? c.getErrorMessages()
                : ((com.google.inject.ProvisionException) e).getErrorMessages();
        for (var m : messages) {
            Throwable t = m.getCause();
            while (t != null && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t != null && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return messages.isEmpty() ? e.toString() : messages.iterator().next().getMessage();
    }

    private static java.nio.file.Path scratch(ServerConfig config) {
        java.nio.file.Path p = config.dataDir().resolve("member").resolve("tmp");
        try {
            java.nio.file.Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + p, e);
        }
        return p;
    }

    /** TLS for an https client URL, from --cert-file/--key-file (and --trusted-ca-file with --client-cert-auth). */
    private static java.util.Optional<ClientListener.Tls> tls(URI url, ServerConfig config) {
        if (!"https".equals(url.getScheme())) {
            return java.util.Optional.empty();
        }
        var t = config.clientTls();
        if (!t.enabled()) {
            throw new IllegalArgumentException("listen URL " + url + " is https but --cert-file and --key-file are not set");
        }
        return java.util.Optional.of(new ClientListener.Tls(t.certFile().get(), t.keyFile().get(),
                t.clientCertAuth() ? t.trustedCaFile() : java.util.Optional.empty()));
    }

    private static InetSocketAddress address(URI url) {
        try {
            return new InetSocketAddress(InetAddress.getByName(url.getHost()), url.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + url.getHost() + " of " + url, e);
        }
    }

    /** The ports the client listeners bound, in the order of --listen-client-urls. */
    public List<Integer> clientPorts() {
        return listeners.stream().map(ClientListener::port).toList();
    }

    /** Blocks until the member stops; returns the fatal error that stopped it, if any. */
    public Throwable awaitStop() throws InterruptedException {
        stopped.await();
        return fatal;
    }

    /** Called by a layer that can no longer go on (a failed fsync): stops the member. */
    /** This member was removed from its cluster: stop as after SIGTERM (exit status 0, as etcd). */
    static void stopRemoved() {
        Kvd k = running;
        if (k != null) {
            Thread.ofPlatform().name("removed-stop").start(k::close);
        }
    }

    static void fatal(Throwable t) {
        Kvd k = running;
        if (k != null) {
            k.fatal = t;
            Thread.ofPlatform().name("fatal-stop").start(k::close);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (stopped.getCount() == 0) {
                return;
            }
            lifecycle.close();
            stopped.countDown();
        }
    }
}
