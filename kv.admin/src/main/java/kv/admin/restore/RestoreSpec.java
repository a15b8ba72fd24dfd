package kv.admin.restore;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import kv.admin.DataDir;
import kv.admin.cluster.MemberIds;

/**
 * What to restore and as which member: the snapshot file, the new member's data directory (and WAL
 * directory), its name, the initial cluster it bootstraps with, the cluster token and the engine
 * its backend runs on. The constructor checks what etcd's bootstrap checks: the name is in the
 * initial cluster, its peer URLs there equal the advertised ones, no URL is used twice. Member ids
 * are derived as etcd derives them ({@link MemberIds}). Immutable.
 *
 * @param snapshot      the snapshot file ({@code kvctl snapshot save}'s output)
 * @param dataDir       the new member's data directory; must not exist
 * @param walDir        where the WAL goes: {@code dataDir.wal()} unless given apart (then it must not exist)
 * @param name          this member's name in {@code initialCluster}
 * @param initialCluster every member's peer URLs by name (sorted by name; each list sorted)
 * @param clusterToken  the initial cluster token, part of every member id
 * @param peerUrls      this member's advertised peer URLs (sorted)
 * @param skipHashCheck restore a file without (or with a wrong) trailing SHA-256
 * @param engine        the engine the restored member runs on
 */
public record RestoreSpec(Path snapshot, DataDir dataDir, Path walDir, String name, SortedMap<String, List<URI>> initialCluster,
                          String clusterToken, List<URI> peerUrls, boolean skipHashCheck, String engine) {
    /** etcdctl's default member name. */
    public static final String DEFAULT_NAME = "default";
    /** etcdctl's default advertised peer URL. */
    public static final String DEFAULT_PEER_URLS = "http://localhost:2380";
    /** etcdctl's default initial cluster (made from the default name, whatever {@code --name} is). */
    public static final String DEFAULT_INITIAL_CLUSTER = DEFAULT_NAME + "=" + DEFAULT_PEER_URLS;
    /** etcdctl's default initial cluster token. */
    public static final String DEFAULT_TOKEN = "etcd-cluster";

    public RestoreSpec {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(walDir, "walDir");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clusterToken, "clusterToken");
        Objects.requireNonNull(engine, "engine");
        SortedMap<String, List<URI>> cluster = new TreeMap<>();
        initialCluster.forEach((n, urls) -> cluster.put(n, sorted(urls)));
        initialCluster = Collections.unmodifiableSortedMap(cluster);
        peerUrls = sorted(peerUrls);
        if (engine.isBlank()) {
            throw new RestoreException("--backend must name an engine");
        }
        verifyBootstrap(name, initialCluster, peerUrls);
    }

    /**
     * A spec from etcdctl's flag values, parsed as etcd parses them. {@code dataDir} null or empty
     * means {@code <name>.etcd}; {@code walDir} null or empty means the data directory's.
     *
     * @throws RestoreException with etcd's message for a malformed URL or cluster
     */
    public static RestoreSpec fromFlags(Path snapshot, String dataDir, String walDir, String name, String initialCluster,
                                        String clusterToken, String peerUrls, boolean skipHashCheck, String engine) {
        List<URI> peers = parseUrls(List.of(peerUrls.split(",", -1)));
        SortedMap<String, List<URI>> cluster = parseCluster(initialCluster);
        DataDir dir = new DataDir(Path.of(dataDir == null || dataDir.isEmpty() ? name + ".etcd" : dataDir));
        Path wal = walDir == null || walDir.isEmpty() ? dir.wal() : Path.of(walDir);
        return new RestoreSpec(snapshot, dir, wal, name, cluster, clusterToken, peers, skipHashCheck, engine);
    }

    /** Whether the WAL goes to a directory of its own, outside the data directory. */
    public boolean separateWalDir() {
        return !walDir.equals(dataDir.wal());
    }

    /** Every member's id by name, as etcd derives it from the peer URLs and the token. */
    public Map<String, Long> memberIds() {
        Map<String, Long> ids = new LinkedHashMap<>();
        initialCluster.forEach((n, urls) -> ids.put(n, MemberIds.memberId(urls, clusterToken)));
        return ids;
    }

    /** This member's id. */
    public long memberId() {
        return MemberIds.memberId(initialCluster.get(name), clusterToken);
    }

    /** The cluster's id, from all member ids. */
    public long clusterId() {
        return MemberIds.clusterId(memberIds().values());
    }

    /** etcd's {@code types.NewURLsMap}: {@code name=url} pairs separated by commas; a name may repeat. */
    static SortedMap<String, List<URI>> parseCluster(String s) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        for (String pair : s.split(",")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            raw.computeIfAbsent(key, k -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
        }
        SortedMap<String, List<URI>> out = new TreeMap<>();
        raw.forEach((n, urls) -> out.put(n, parseUrls(urls)));
        return out;
    }

    /** etcd's {@code types.NewURLs}: http(s)/unix(s) URLs with host:port and no path. */
    static List<URI> parseUrls(List<String> texts) {
        if (texts.isEmpty()) {
            throw new RestoreException("no valid URLs given");
        }
        List<URI> out = new ArrayList<>();
        for (String t : texts) {
            String in = t.strip();
            URI u;
            try {
                u = new URI(in);
            } catch (URISyntaxException e) {
                throw new RestoreException("parse " + in + ": " + e.getReason());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            if (!Set.of("http", "https", "unix", "unixs").contains(scheme)) {
                throw new RestoreException("URL scheme must be http, https, unix, or unixs: " + in);
            }
            if (u.getHost() == null || u.getPort() < 0) {
                throw new RestoreException("URL address does not have the form \"host:port\": " + in);
            }
            if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                throw new RestoreException("URL must not contain a path: " + in);
            }
            out.add(u);
        }
        return sorted(out);
    }

    private static List<URI> sorted(List<URI> urls) {
        return urls.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    /** etcd's {@code ServerConfig.VerifyBootstrap}, without resolving host names. */
    private static void verifyBootstrap(String name, SortedMap<String, List<URI>> cluster, List<URI> peers) {
        List<URI> mine = cluster.get(name);
        if (mine == null) {
            throw new RestoreException("couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
        List<String> cl = mine.stream().map(URI::toString).toList();
        List<String> ap = peers.stream().map(URI::toString).toList();
        if (!cl.equals(ap)) {
            throw new RestoreException(mismatch(name, cl, ap));
        }
        Set<String> seen = new HashSet<>();
        for (List<URI> urls : cluster.values()) {
            for (URI u : urls) {
                if (!seen.add(u.toString())) {
                    throw new RestoreException("initial cluster " + urlsMap(cluster) + " has duplicate url");
                }
            }
        }
    }

    private static String mismatch(String name, List<String> cluster, List<String> advertised) {
        String why = cluster.size() != advertised.size()
                ? "len(" + goQuoted(advertised) + ") != len(" + goQuoted(cluster) + ")"
                : firstDifference(advertised, cluster);
        List<String> missing = cluster.stream().filter(u -> !advertised.contains(u)).map(u -> name + "=" + u).toList();
        if (!missing.isEmpty()) {
            return "--initial-cluster has " + String.join(",", missing) + " but missing from --initial-advertise-peer-urls="
                    + String.join(",", advertised) + " (" + why + ")";
        }
        List<String> extra = advertised.stream().filter(u -> !cluster.contains(u)).toList();
        String own = String.join(",", advertised.stream().map(u -> name + "=" + u).sorted().toList());
        if (!extra.isEmpty()) {
            return "--initial-advertise-peer-urls has " + String.join(",", extra) + " but missing from --initial-cluster=" + own;
        }
        return "failed to resolve " + String.join(",", advertised) + " to match --initial-cluster=" + own + " (" + why + ")";
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "resolved urls: \"" + a.get(i) + "\" != \"" + b.get(i) + "\"";
            }
        }
        return "<nil>";
    }

    private static String goQuoted(List<String> l) {
        return "[" + String.join(" ", l.stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }

    /** etcd's {@code URLsMap.String()}: sorted {@code name=url} pairs. */
    private static String urlsMap(SortedMap<String, List<URI>> cluster) {
        List<String> pairs = new ArrayList<>();
        cluster.forEach((n, urls) -> urls.forEach(u -> pairs.add(n + "=" + u)));
        Collections.sort(pairs);
        return String.join(",", pairs);
    }
}
