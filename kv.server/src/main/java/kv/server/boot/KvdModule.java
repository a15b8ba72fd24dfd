package kv.server.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kv.admin.DataDir;
import kv.auth.AuthConfig;
import kv.auth.AuthStore;
import kv.auth.JwtTokens;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import kv.mvcc.MvccConfig;
import kv.mvcc.MvccStore;
import kv.raft.RaftConfig;
import kv.server.apply.Alarms;
import kv.server.metrics.MetricsObserver;
import kv.server.metrics.ServerMetrics;
import kv.server.apply.KvApplier;
import kv.server.config.ServerConfig;
import kv.server.core.Member;
import kv.admin.cluster.MemberIds;
import kv.server.node.RaftBootstrap;
import kv.server.node.RaftNode;
import kv.server.node.Transport;
import kv.peer.PeerConfig;
import kv.peer.PeerServer;
import kv.peer.PeerTls;
import kv.peer.PeerTransport;
import kv.server.cluster.BackendSnapshots;
import kv.server.cluster.ClusterMembers;
import java.util.function.LongFunction;

/**
 * How a kvd member is put together. The only place that knows every layer; each layer has plain
 * constructors and no idea of Guice. Every singleton that holds a resource is registered with the
 * {@link Lifecycle} as it is built, so shutting down stops them in reverse order.
 */
final class KvdModule extends AbstractModule {
    private final ServerConfig config;
    private final Lifecycle lifecycle;

    KvdModule(ServerConfig config, Lifecycle lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
    }

    @Override
    protected void configure() {
        bind(ServerConfig.class).toInstance(config);
        bind(Lifecycle.class).toInstance(lifecycle);
    }

    @Provides
    @Singleton
    DataDir dataDir() {
        return new DataDir(config.dataDir());
    }

    @Provides
    @Singleton
    Backend backend(DataDir dir) {
        BackendLocator engines = BackendLocator.load(config.pluginDir().orElse(null));
        var provider = engines.find(config.backend());
        dir.claimFor(provider.name());
        // the WAL is the durable record: the backend commits without fsync and is synced before a
        // raft snapshot lets the WAL behind it go
        BackendConfig bc = new BackendConfig(dir.backend(provider.name()), Durability.NO_SYNC, java.util.Map.of());
        try {
            Backend b = provider.open(bc);
            return lifecycle.started("backend " + provider.name(), b, () -> {
                b.sync();
                b.close();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the " + provider.name() + " backend in " + dir.backend(provider.name()) + ": " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    MvccStore store(Backend backend) {
        // writes gather in one backend transaction per --backend-batch-limit/-interval (etcd's 10,000 /
        // 100 ms), committed without fsync: the WAL is the durable record, and the apply thread owns
        // the batch (every commit, hash, compaction step and defragmentation runs there)
        MvccConfig mc = MvccConfig.defaults().withMaxTxnOps(config.maxTxnOps()).withCompactionBatchLimit(config.compactionBatchLimit())
                .withCommitBatch(config.backendBatchLimit(), config.backendBatchInterval());
        MvccStore s = MvccStore.open(backend, mc, InstantSource.system());
        return lifecycle.started("mvcc store", s, s::close);
    }

    @Provides
    @Singleton
    ExecutorService background() {
        ExecutorService e = Executors.newVirtualThreadPerTaskExecutor();
        // long waits (watch pumps, lock and election waiters) end on interrupt; never wait on them forever
        return lifecycle.started("background executor", e, () -> {
            e.shutdownNow();
            if (!e.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                System.getLogger(KvdModule.class.getName()).log(System.Logger.Level.WARNING,
                        "background tasks still running 5 s after the stop; leaving them");
            }
        });
    }

    /** This member's id and its cluster's: from the WAL on restart, from the flags for a new member. */
    record Identity(long memberId, long clusterId) {}

    /** The raft state as started, and the members known before any record is applied (a new or joining member's). */
    record Boot(RaftBootstrap.Started raft, List<kv.admin.clusterpb.Member> known) {}

    @Provides
    @Singleton
    PeerTls peerTls() {
        var t = config.peerTls();
        return new PeerTls(t.certFile(), t.keyFile(), t.trustedCaFile(), t.clientCertAuth());
    }

    @Provides
    @Singleton
    Boot boot(DataDir dir, PeerTls tls) {
        int electionTicks = Math.toIntExact(config.electionTimeout().toMillis() / config.heartbeatInterval().toMillis());
        LongFunction<RaftConfig> raftConfig = id -> RaftConfig.of(id, new SplittableRandom()).withTicks(electionTicks, 1)
                .withPreVote(config.preVote()).withCheckQuorum(true).withDeferredCommitBroadcast(true);
        if (kv.wal.Wal.exists(dir.wal())) {
            // a restart: the WAL says who this member is; the --initial-* flags are ignored, as by etcd
            return new Boot(RaftBootstrap.start(dir.wal(), dir.snap(), 0, 0, List.of(), List.of(), raftConfig), List.of());
        }
        MemberBootstrap.Plan p = MemberBootstrap.plan(config, tls);
        return new Boot(RaftBootstrap.start(dir.wal(), dir.snap(), p.memberId(), p.clusterId(), p.voters(), p.contexts(), raftConfig), p.known());
    }

    @Provides
    @Singleton
    RaftBootstrap.Started raft(Boot boot) {
        return boot.raft();
    }

    @Provides
    @Singleton
    Identity identity(RaftBootstrap.Started s) {
        return new Identity(s.memberId(), s.clusterId());
    }

    @Provides
    @Singleton
    ClusterMembers members(Identity id, Backend backend, MvccStore store, Boot boot) {
        store.commit();
        ClusterMembers m = new ClusterMembers(id.memberId(), id.clusterId());
        m.load(backend);
        if (m.isRemoved(id.memberId())) {
            throw new IllegalStateException("member " + Long.toHexString(id.memberId()) + " has been permanently removed from the cluster;"
                    + " start a new member with an empty data directory after 'member add'");
        }
        if (m.list().isEmpty()) {
            m.seed(boot.known());
        }
        return m;
    }

    @Provides
    @Singleton
    BackendSnapshots backendSnapshots(Backend backend, DataDir dir, ServerMetrics metrics) {
        return new BackendSnapshots(backend, dir.snap(), metrics::snapshotReceived);
    }

    @Provides
    @Singleton
    NodeHandle nodeHandle(ClusterMembers members, MvccStore store) {
        return new NodeHandle(members, store);
    }

    @Provides
    @Singleton
    PeerTransport peers(Identity id, PeerTls tls, NodeHandle handle, BackendSnapshots snapshots, ClusterMembers members) {
        PeerTransport t = new PeerTransport(new PeerConfig(id.memberId(), id.clusterId(), tls, PeerConfig.DEFAULT_DIAL_TIMEOUT), handle, snapshots);
        PeerUpdates updates = new PeerUpdates(t, id.memberId());
        members.listen(updates);
        members.list().forEach(updates::added);
        return t;
    }

    @Provides
    @Singleton
    Alarms alarms(Backend backend, MvccStore store) {
        store.commit(); // the store's batch must not hold the backend's write slot
        return new Alarms(backend);
    }

    @Provides
    @Singleton
    AuthStore auth(Backend backend, MvccStore store) {
        store.commit();
        AuthConfig ac = new AuthConfig(config.bcryptCost(), config.authTokenTtl());
        String token = config.authToken();
        if (token.equals("simple")) {
            return AuthStore.open(backend, ac, InstantSource.system());
        }
        return AuthStore.open(backend, ac, InstantSource.system(), jwt(token));
    }

    /** etcd's {@code --auth-token jwt,pub-key=FILE,priv-key=FILE,sign-method=RS256,ttl=10m}. */
    private static JwtTokens jwt(String spec) {
        String[] parts = spec.split(",");
        if (!parts[0].equals("jwt")) {
            throw new IllegalArgumentException("unknown --auth-token type \"" + parts[0] + "\" (known: simple, jwt)");
        }
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid --auth-token option \"" + parts[i] + "\" (want key=value)");
            }
            opts.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        String method = opts.getOrDefault("sign-method", "");
        java.time.Duration ttl = opts.containsKey("ttl") ? kv.server.config.Durations.parse("auth-token ttl", opts.get("ttl"))
                : java.time.Duration.ofMinutes(5);
        try {
            if (method.equals("HS256")) {
                throw new IllegalArgumentException("--auth-token jwt with HS256 needs a shared secret, which etcd's flags cannot give; use RS256 or ES256");
            }
            JwtTokens.Method m = JwtTokens.Method.valueOf(method);
            return JwtTokens.fromPemFiles(m, java.nio.file.Path.of(required(opts, "pub-key")),
                    opts.containsKey("priv-key") ? java.nio.file.Path.of(opts.get("priv-key")) : null, ttl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid --auth-token " + spec + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the --auth-token keys: " + e.getMessage(), e);
        }
    }

    private static String required(java.util.Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    @Provides
    @Singleton
    ServerMetrics metrics() {
        return new ServerMetrics();
    }

    @Provides
    @Singleton
    RaftNode node(RaftBootstrap.Started s, MvccStore store, Backend backend, Alarms alarms, AuthStore auth,
                  ServerMetrics metrics, ClusterMembers members, BackendSnapshots snapshots,
                  PeerTransport peers, NodeHandle handle, PeerTls tls) {
        java.util.concurrent.atomic.AtomicReference<RaftNode> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.Executor later = task -> self.get().onApplyThread(() -> {
            task.run();
            return null;
        });
        KvApplier applier = new KvApplier(store, backend, alarms, auth, later, members, snapshots);
        var raftSnapshot = s.storage().snapshot().getMetadata();
        if (raftSnapshot.getIndex() > store.appliedIndex()) {
            // the member stopped after raft took a leader's snapshot but before the store did
            applier.restore(s.storage().snapshot());
        }
        Transport transport = new Transport() {
            @Override
            public void send(List<kv.raft.raftpb.Message> messages) {
                peers.send(messages);
            }

            @Override
            public void close() {
                peers.close();
            }
        };
        RaftNode node = new RaftNode(s.raw(), s.storage(), s.log(), transport, applier,
                config.heartbeatInterval(), config.snapshotCount(), new MetricsObserver(metrics), err -> Kvd.fatal(err));
        handle.attach(node);
        self.set(node);
        metrics.gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.",
                () -> node.softState().lead() != 0 ? 1 : 0);
        metrics.gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                () -> node.softState().role() == kv.raft.StateRole.LEADER ? 1 : 0);
        metrics.gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.", node::pendingProposals);
        metrics.gauge("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.",
                backend::sizeOnDisk);
        metrics.gauge("etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes.",
                backend::sizeInUse);
        metrics.gauge("etcd_debugging_mvcc_current_revision", "The current revision of store.", store::currentRevision);
        metrics.gauge("etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.", () -> Math.max(0, store.compactRevision()));
        metrics.gauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.",
                () -> config.effectiveQuota().bytes());
        List<kv.admin.clusterpb.Member> voters = members.list().stream().filter(m -> !m.getIsLearner()).toList();
        node.start(voters.size() == 1 && voters.getFirst().getId() == s.memberId());
        lifecycle.started("raft node", node, node::close);
        PeerServer server = PeerServer.start(new PeerConfig(s.memberId(), s.clusterId(), tls, PeerConfig.DEFAULT_DIAL_TIMEOUT),
                config.listenPeerUrls(), handle, snapshots);
        lifecycle.started("peer listener " + config.listenPeerUrls(), server, server::close);
        return node;
    }

    @Provides
    @Singleton
    Member member(Identity id, RaftNode node, MvccStore store, Backend backend, AuthStore auth) {
        Duration timeout = Duration.ofSeconds(5).plus(config.electionTimeout().multipliedBy(2));
        return new Member(id.memberId(), id.clusterId(), node, store, backend, auth, config.effectiveQuota().bytes(), Math.toIntExact(config.maxRequest().bytes()), timeout);
    }
}
