package kv.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * kvd's flags: etcd's names, defaults and meanings where etcd has the flag, plus kv's own
 * ({@code --backend}, {@code --plugin-dir}, {@code --list-backends}). Parsed as Go's flag package
 * does, since etcd's users type them that way: {@code -flag value}, {@code --flag=value}, and a bare
 * boolean flag meaning {@code true}. Values may also come from the environment ({@code ETCD_NAME} or
 * {@code KV_NAME} for {@code --name}) or from a YAML {@code --config-file}, which then wins over
 * everything else, as in etcd.
 */
public final class Flags {
    /** One flag: its name without dashes, its default, whether it is boolean, and its help line. */
    public record Spec(String name, String defaultValue, boolean bool, String usage) {}

    static final List<Spec> SPECS = List.of(
            s("name", "default", "Human-readable name for this member."),
            s("data-dir", "${name}.kv", "Path to the data directory."),
            s("wal-dir", "", "Path to the dedicated wal directory (default: DATA-DIR/member/wal)."),
            s("snapshot-count", "100000", "Number of committed transactions to trigger a snapshot to disk."),
            s("heartbeat-interval", "100", "Time (in milliseconds) of a heartbeat interval."),
            s("election-timeout", "1000", "Time (in milliseconds) for an election to timeout."),
            s("listen-peer-urls", "http://127.0.0.1:2380", "List of URLs to listen on for peer traffic."),
            s("listen-client-urls", "http://127.0.0.1:2379", "List of URLs to listen on for client traffic."),
            s("listen-metrics-urls", "", "List of URLs to listen on for the metrics and health endpoints."),
            s("advertise-client-urls", "http://127.0.0.1:2379", "List of this member's client URLs to advertise to the public."),
            s("initial-advertise-peer-urls", "http://127.0.0.1:2380", "List of this member's peer URLs to advertise to the rest of the cluster."),
            s("initial-cluster", "", "Initial cluster configuration for bootstrapping (default: NAME=INITIAL-ADVERTISE-PEER-URLS)."),
            s("initial-cluster-state", "new", "Initial cluster state ('new' or 'existing')."),
            s("initial-cluster-token", "etcd-cluster", "Initial cluster token for the cluster during bootstrap."),
            s("quota-backend-bytes", "0", "Raise alarms when backend size exceeds the given quota (0 defaults to 2 GiB)."),
            s("backend-batch-interval", "", "BackendBatchInterval is the maximum time before commit the backend transaction."),
            s("backend-batch-limit", "0", "BackendBatchLimit is the maximum operations before commit the backend transaction."),
            s("max-txn-ops", "128", "Maximum number of operations permitted in a transaction."),
            s("max-request-bytes", "1572864", "Maximum client request size in bytes the server will accept."),
            s("grpc-keepalive-min-time", "5s", "Minimum interval duration that a client should wait before pinging server."),
            s("grpc-keepalive-interval", "2h", "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
            s("grpc-keepalive-timeout", "20s", "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
            b("pre-vote", "true", "Enable to run an additional Raft election phase."),
            b("strict-reconfig-check", "true", "Reject reconfiguration requests that would cause quorum loss."),
            s("auto-compaction-mode", "periodic", "Interpret 'auto-compaction-retention' one of: periodic|revision."),
            s("auto-compaction-retention", "0", "Auto compaction retention for mvcc key value store. 0 means disable auto compaction."),
            s("cert-file", "", "Path to the client server TLS cert file."),
            s("key-file", "", "Path to the client server TLS key file."),
            b("client-cert-auth", "false", "Enable client cert authentication."),
            s("trusted-ca-file", "", "Path to the client server TLS trusted CA cert file."),
            s("peer-cert-file", "", "Path to the peer server TLS cert file."),
            s("peer-key-file", "", "Path to the peer server TLS key file."),
            b("peer-client-cert-auth", "false", "Enable peer client cert authentication."),
            s("peer-trusted-ca-file", "", "Path to the peer server TLS trusted CA file."),
            s("auth-token", "simple", "Specify auth token type ('simple' or 'jwt,pub-key=...,priv-key=...,sign-method=...')."),
            s("bcrypt-cost", "10", "Specify bcrypt algorithm cost factor for auth password hashing."),
            s("auth-token-ttl", "300", "The lifetime in seconds of the auth token."),
            s("log-level", "info", "Configures log level. Only supports debug, info, warn, error, panic, or fatal."),
            s("experimental-corrupt-check-time", "0s", "Duration of time between cluster corruption check passes."),
            b("experimental-initial-corrupt-check", "false", "Enable to check data corruption before serving any client/peer traffic."),
            b("experimental-enable-lease-checkpoint", "true", "Enable to persist lease remaining TTL to prevent indefinite auto-renewal of long lived leases."),
            s("experimental-compaction-batch-limit", "1000", "Sets the maximum revisions deleted in each compaction batch."),
            s("experimental-watch-progress-notify-interval", "10m", "Duration of periodic watch progress notifications."),
            b("force-new-cluster", "false", "Force to create a new one member cluster."),
            s("config-file", "", "Path to the server configuration file (YAML; flags and environment are then ignored)."),
            s("backend", "jbolt", "Storage engine: jbolt (default), rocksdb, lmdb, or one from --plugin-dir."),
            s("plugin-dir", "", "Directory of storage-engine plug-ins (a jar, or a folder of jars, each)."),
            b("list-backends", "false", "Print the storage engines found (name, version, origin) and exit."),
            b("version", "false", "Print the version and exit."),
            b("help", "false", "Show this help and exit."));

    static final Map<String, Spec> BY_NAME = SPECS.stream().collect(Collectors.toMap(Spec::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private Flags() {}

    private static Spec s(String name, String def, String usage) {
        return new Spec(name, def, false, usage);
    }

    private static Spec b(String name, String def, String usage) {
        return new Spec(name, def, true, usage);
    }

    /**
     * The value of every flag: defaults, overridden by the environment, overridden by the command
     * line; or, when {@code --config-file} is given, by the file alone (over the defaults).
     *
     * @throws ConfigException with Go's wording for an unknown flag or a missing value
     */
    public static Map<String, String> parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        SPECS.forEach(s -> values.put(s.name(), s.defaultValue()));
        for (Spec s : SPECS) {
            String key = s.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            String v = env.getOrDefault("KV_" + key, env.get("ETCD_" + key));
            if (v != null) {
                values.put(s.name(), v);
            }
        }
        Map<String, String> given = commandLine(args);
        values.putAll(given);
        String file = values.get("config-file");
        if (!file.isEmpty()) {
            Map<String, String> fromFile = ConfigFile.read(java.nio.file.Path.of(file));
            SPECS.forEach(s -> values.put(s.name(), s.defaultValue()));
            values.putAll(fromFile);
            values.put("config-file", file);
            for (String keep : List.of("version", "help", "list-backends")) {
                if (given.containsKey(keep)) {
                    values.put(keep, given.get(keep));
                }
            }
        }
        return values;
    }

    private static Map<String, String> commandLine(List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                throw new ConfigException("'" + a + "' is not a valid flag");
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Spec spec = BY_NAME.get(name);
            if (spec == null) {
                throw new ConfigException("flag provided but not defined: -" + name);
            }
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (spec.bool()) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new ConfigException("flag needs an argument: -" + name);
            }
            if (spec.bool() && !value.equals("true") && !value.equals("false")) {
                throw new ConfigException("invalid boolean value \"" + value + "\" for -" + name + ": parse error");
            }
            given.put(name, value);
        }
        return given;
    }

    /** The help text: usage line and every flag with its default. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("Usage:\n\n  kvd [flags]\n\n  Start a kv member (an etcd v3 compatible server).\n\nFlags:\n");
        for (Spec s : SPECS) {
            sb.append("  --").append(s.name()).append(s.bool() ? "" : " '" + s.defaultValue() + "'").append('\n')
              .append("      ").append(s.usage()).append('\n');
        }
        return sb.toString();
    }
}
