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
import kv.server.node.MemberIds;
import kv.server.node.RaftBootstrap;
import kv.server.node.RaftNode;
import kv.server.node.Transport;

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
        MvccConfig mc = MvccConfig.defaults().withMaxTxnOps(config.maxTxnOps()).withCompactionBatchLimit(config.compactionBatchLimit());
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

    @Provides
    @Singleton
    RaftBootstrap.Started raft(DataDir dir) {
        long self = MemberIds.memberId(config.initialAdvertisePeerUrls(), config.initialClusterToken());
        List<Long> voters = new ArrayList<>();
        config.initialCluster().values().forEach(urls -> voters.add(MemberIds.memberId(urls, config.initialClusterToken())));
        if (voters.size() != 1) {
            throw new IllegalStateException("this build serves single-member clusters only; --initial-cluster names " + voters.size());
        }
        int electionTicks = Math.toIntExact(config.electionTimeout().toMillis() / config.heartbeatInterval().toMillis());
        return RaftBootstrap.start(dir.wal(), dir.snap(), self, MemberIds.clusterId(voters), voters,
                id -> RaftConfig.of(id, new SplittableRandom()).withTicks(electionTicks, 1).withPreVote(config.preVote()).withCheckQuorum(true));
    }

    @Provides
    @Singleton
    Identity identity(RaftBootstrap.Started s) {
        return new Identity(s.memberId(), s.clusterId());
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
        return AuthStore.open(backend, new AuthConfig(config.bcryptCost(), config.authTokenTtl()), InstantSource.system());
    }

    @Provides
    @Singleton
    ServerMetrics metrics() {
        return new ServerMetrics();
    }

    @Provides
    @Singleton
    RaftNode node(RaftBootstrap.Started s, MvccStore store, Backend backend, Alarms alarms, AuthStore auth,
                  ExecutorService background, ServerMetrics metrics) {
        RaftNode node = new RaftNode(s.raw(), s.storage(), s.log(), Transport.none(), new KvApplier(store, backend, alarms, auth, background),
                config.heartbeatInterval(), config.snapshotCount(), new MetricsObserver(metrics), err -> Kvd.fatal(err));
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
        metrics.gauge("etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store.", store::compactRevision);
        metrics.gauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.",
                () -> config.effectiveQuota().bytes());
        node.start(true);
        return lifecycle.started("raft node", node, node::close);
    }

    @Provides
    @Singleton
    Member member(Identity id, RaftNode node, MvccStore store, Backend backend, AuthStore auth) {
        Duration timeout = Duration.ofSeconds(5).plus(config.electionTimeout().multipliedBy(2));
        return new Member(id.memberId(), id.clusterId(), node, store, backend, auth, config.effectiveQuota().bytes(), Math.toIntExact(config.maxRequest().bytes()), timeout);
    }
}
