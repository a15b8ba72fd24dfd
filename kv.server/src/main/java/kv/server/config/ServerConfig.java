package kv.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything kvd is started with, validated. Built from flag values by {@link #from(Map)}; an
 * invalid combination fails there with etcd's wording, before anything is opened or written.
 */
public record ServerConfig(
        String name,
        Path dataDir,
        Optional<Path> walDir,
        long snapshotCount,
        Duration heartbeatInterval,
        Duration electionTimeout,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        List<URI> listenPeerUrls,
        List<URI> initialAdvertisePeerUrls,
        List<URI> listenMetricsUrls,
        Map<String, List<URI>> initialCluster,
        ClusterState initialClusterState,
        String initialClusterToken,
        ByteSize quotaBackend,
        Duration backendBatchInterval,
        int backendBatchLimit,
        int maxTxnOps,
        ByteSize maxRequest,
        Duration grpcKeepaliveMinTime,
        Duration grpcKeepaliveInterval,
        Duration grpcKeepaliveTimeout,
        boolean preVote,
        boolean strictReconfigCheck,
        AutoCompaction autoCompaction,
        TlsFiles clientTls,
        TlsFiles peerTls,
        String authToken,
        int bcryptCost,
        Duration authTokenTtl,
        String logLevel,
        Duration corruptCheckTime,
        boolean initialCorruptCheck,
        boolean leaseCheckpoint,
        int compactionBatchLimit,
        Duration watchProgressNotifyInterval,
        boolean forceNewCluster,
        String backend,
        Optional<Path> pluginDir) {

    /** etcd's default quota when {@code --quota-backend-bytes} is 0. */
    public static final ByteSize DEFAULT_QUOTA = ByteSize.ofGibibytes(2);
    /** etcd warns about quotas above this (larger backends degrade), and so does kvd. */
    public static final ByteSize MAX_QUOTA = ByteSize.ofGibibytes(8);

    public ServerConfig {
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        listenMetricsUrls = List.copyOf(listenMetricsUrls);
        initialCluster = Map.copyOf(initialCluster);
        if (name.isEmpty()) {
            throw new ConfigException("--name must not be empty");
        }
        if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
            throw new ConfigException("--heartbeat-interval must be > 0 (set to " + heartbeatInterval.toMillis() + "ms)");
        }
        if (electionTimeout.compareTo(heartbeatInterval.multipliedBy(5)) < 0) {
            throw new ConfigException("--election-timeout[" + electionTimeout.toMillis() + "ms] should be at least as 5 times as --heartbeat-interval["
                    + heartbeatInterval.toMillis() + "ms]");
        }
        if (electionTimeout.toMillis() > 50_000) {
            throw new ConfigException("--election-timeout[" + electionTimeout.toMillis() + "ms] is too long, and should be set less than 50000ms");
        }
        if (listenClientUrls.isEmpty()) {
            throw new ConfigException("--listen-client-urls must name at least one URL");
        }
        if (!initialCluster.containsKey(name)) {
            throw new ConfigException("couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
        if (maxTxnOps <= 0) {
            throw new ConfigException("--max-txn-ops must be > 0");
        }
        if (snapshotCount <= 0) {
            throw new ConfigException("--snapshot-count must be > 0");
        }
        if (bcryptCost < 4 || bcryptCost > 21) {
            // kv hashes with PBKDF2, doubling the work per step as bcrypt does; past 21 a login takes minutes
            throw new ConfigException("invalid --bcrypt-cost " + bcryptCost + ": must be between 4 and 21");
        }
    }

    /** The quota in force: {@link #DEFAULT_QUOTA} when none was set. */
    public ByteSize effectiveQuota() {
        return quotaBackend.bytes() == 0 ? DEFAULT_QUOTA : quotaBackend;
    }

    /** The WAL directory: {@code --wal-dir}, or {@code member/wal} under the data directory, as etcd lays it out. */
    public Path effectiveWalDir() {
        return walDir.orElse(dataDir.resolve("member").resolve("wal"));
    }

    /** Builds and validates a config from flag values as {@link Flags#parse} returns them. */
    public static ServerConfig from(Map<String, String> f) {
        String name = f.get("name");
        List<URI> peerUrls = urls("initial-advertise-peer-urls", f.get("initial-advertise-peer-urls"));
        String ic = f.get("initial-cluster");
        Map<String, List<URI>> cluster = ic.isBlank() ? Map.of(name, peerUrls) : initialCluster(ic);
        String dataDir = f.get("data-dir").replace("${name}", name);
        return new ServerConfig(
                name,
                Path.of(dataDir),
                f.get("wal-dir").isBlank() ? Optional.empty() : Optional.of(Path.of(f.get("wal-dir"))),
                number("snapshot-count", f),
                Duration.ofMillis(number("heartbeat-interval", f)),
                Duration.ofMillis(number("election-timeout", f)),
                urls("listen-client-urls", f.get("listen-client-urls")),
                urls("advertise-client-urls", f.get("advertise-client-urls")),
                urls("listen-peer-urls", f.get("listen-peer-urls")),
                peerUrls,
                f.get("listen-metrics-urls").isBlank() ? List.of() : urls("listen-metrics-urls", f.get("listen-metrics-urls")),
                cluster,
                ClusterState.parse(f.get("initial-cluster-state")),
                f.get("initial-cluster-token"),
                new ByteSize(number("quota-backend-bytes", f)),
                f.get("backend-batch-interval").isBlank() ? Duration.ofMillis(100) : Durations.parse("backend-batch-interval", f.get("backend-batch-interval")),
                f.get("backend-batch-limit").equals("0") ? 10_000 : Math.toIntExact(number("backend-batch-limit", f)),
                Math.toIntExact(number("max-txn-ops", f)),
                new ByteSize(number("max-request-bytes", f)),
                Durations.parse("grpc-keepalive-min-time", f.get("grpc-keepalive-min-time")),
                Durations.parse("grpc-keepalive-interval", f.get("grpc-keepalive-interval")),
                Durations.parse("grpc-keepalive-timeout", f.get("grpc-keepalive-timeout")),
                bool("pre-vote", f),
                bool("strict-reconfig-check", f),
                AutoCompaction.parse(f.get("auto-compaction-mode"), f.get("auto-compaction-retention")),
                TlsFiles.of(f.get("cert-file"), f.get("key-file"), f.get("trusted-ca-file"), bool("client-cert-auth", f)),
                TlsFiles.of(f.get("peer-cert-file"), f.get("peer-key-file"), f.get("peer-trusted-ca-file"), bool("peer-client-cert-auth", f)),
                f.get("auth-token"),
                Math.toIntExact(number("bcrypt-cost", f)),
                Duration.ofSeconds(number("auth-token-ttl", f)),
                f.get("log-level"),
                Durations.parse("experimental-corrupt-check-time", f.get("experimental-corrupt-check-time")),
                bool("experimental-initial-corrupt-check", f),
                bool("experimental-enable-lease-checkpoint", f),
                Math.toIntExact(number("experimental-compaction-batch-limit", f)),
                Durations.parse("experimental-watch-progress-notify-interval", f.get("experimental-watch-progress-notify-interval")),
                bool("force-new-cluster", f),
                f.get("backend"),
                f.get("plugin-dir").isBlank() ? Optional.empty() : Optional.of(Path.of(f.get("plugin-dir"))));
    }

    private static long number(String flag, Map<String, String> f) {
        String v = f.get(flag).strip();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid value \"" + v + "\" for flag -" + flag + ": parse error");
        }
    }

    private static boolean bool(String flag, Map<String, String> f) {
        return Boolean.parseBoolean(f.get(flag).strip());
    }

    static List<URI> urls(String flag, String csv) {
        List<URI> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            URI u;
            try {
                u = new URI(s);
            } catch (URISyntaxException e) {
                throw new ConfigException("invalid value \"" + csv + "\" for flag -" + flag + ": " + e.getMessage());
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()) || "unix".equals(u.getScheme()) || "unixs".equals(u.getScheme()))
                    || (u.getScheme().startsWith("http") && (u.getHost() == null || u.getPort() < 0))) {
                throw new ConfigException("invalid value \"" + csv + "\" for flag -" + flag + ": URL address does not have the form \"host:port\": " + s);
            }
            out.add(u);
        }
        if (out.isEmpty()) {
            throw new ConfigException("invalid value \"" + csv + "\" for flag -" + flag + ": no URL given");
        }
        return out;
    }

    static Map<String, List<URI>> initialCluster(String spec) {
        Map<String, List<URI>> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("invalid --initial-cluster \"" + spec + "\": each member must be NAME=PEER-URL");
            }
            String member = part.substring(0, eq).strip();
            out.computeIfAbsent(member, k -> new ArrayList<>()).addAll(urls("initial-cluster", part.substring(eq + 1)));
        }
        return out;
    }
}
