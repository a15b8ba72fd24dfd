package kv.it.cluster;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.StatusResponse;
import kv.testkit.TestServer;
import kv.testkit.TestServer.Kind;

/**
 * A cluster of 3 or 5 members of one kind (etcd or kvd) on loopback, started with etcd's flags,
 * each behind a {@link PeerProxy} so that links can be cut. Members are numbered 0..size-1 (named
 * m1..mN). The test may kill -9, restart (same data dir and ports), pause (SIGSTOP) and resume
 * (SIGCONT) members; only processes this runner started are ever signalled.
 *
 * <p>Each member's output goes to {@code mN.log} in the test's directory, appended across restarts;
 * {@link #printLogs()} prints them (tests call it on failure). Not thread-safe for lifecycle calls
 * (kill/restart/pause from one thread at a time); {@link #status} and {@link #channel} may be used
 * from any thread. {@link #close()} kills every member and stops the proxy.
 */
final class ClusterRunner implements AutoCloseable {
    /** Raft timing fast enough for short tests, slow enough not to flap on 2 loaded cores. */
    static final Duration HEARTBEAT = Duration.ofMillis(50);
    static final Duration ELECTION = Duration.ofMillis(500);

    /**
     * How to start a cluster.
     *
     * @param kind          etcd or kvd
     * @param size          3 or 5 members
     * @param snapshotCount --snapshot-count
     * @param backends      kvd's --backend per member (empty: each member the default jbolt); ignored for etcd
     */
    record Spec(Kind kind, int size, long snapshotCount, List<String> backends) {
        Spec {
            if (size != 3 && size != 5) {
                throw new IllegalArgumentException("a test cluster has 3 or 5 members, not " + size);
            }
            if (snapshotCount < 1) {
                throw new IllegalArgumentException("snapshot count must be positive, got " + snapshotCount);
            }
            backends = List.copyOf(backends);
            if (!backends.isEmpty() && backends.size() != size) {
                throw new IllegalArgumentException("one backend per member: " + backends + " for " + size + " members");
            }
        }
    }

    /** A member's view of the cluster, from Maintenance.Status. */
    record MemberStatus(long memberId, long leader, long revision, long raftIndex, long raftTerm) {
        boolean isLeader() {
            return memberId == leader && leader != 0;
        }
    }

    private final Spec spec;
    private final Path dir;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final Process[] processes;
    private final boolean[] paused;
    private final ManagedChannel[] channels;
    private final PeerProxy proxy;
    private final String initialCluster;

    private final List<String> extraFlags = new ArrayList<>();
    private final java.util.Map<Integer, String> backendOverride = new java.util.HashMap<>();

    private ClusterRunner(Spec spec, Path dir) throws IOException {
        this.spec = spec;
        this.dir = dir;
        int n = spec.size();
        clientPorts = new int[n];
        peerPorts = new int[n];
        processes = new Process[n];
        paused = new boolean[n];
        channels = new ManagedChannel[n];
        for (int i = 0; i < n; i++) {
            clientPorts[i] = TestServer.freePort();
            peerPorts[i] = TestServer.freePort();
            channels[i] = NettyChannelBuilder.forAddress("127.0.0.1", clientPorts[i]).usePlaintext().build();
        }
        proxy = new PeerProxy(peerPorts, i -> processes[i] == null || !processes[i].isAlive() ? List.of() : PeerProxy.tree(processes[i]));
        initialCluster = IntStream.range(0, n).mapToObj(i -> name(i) + "=" + advertisedPeerUrl(i)).collect(Collectors.joining(","));
    }

    /** Starts every member and waits until they all serve and agree on a leader. */
    static ClusterRunner start(Spec spec, Path dir) throws IOException {
        return start(spec, dir, List.of());
    }

    /** As {@link #start(Spec, Path)}, every member also given {@code extraFlags}. */
    static ClusterRunner start(Spec spec, Path dir, List<String> extraFlags) throws IOException {
        ClusterRunner c = new ClusterRunner(spec, dir);
        c.extraFlags.addAll(extraFlags);
        try {
            for (int i = 0; i < spec.size(); i++) {
                c.launch(i);
            }
            for (int i = 0; i < spec.size(); i++) {
                c.awaitServing(i, Duration.ofSeconds(60));
            }
            c.awaitLeader(c.all(), Duration.ofSeconds(60));
            return c;
        } catch (IOException | RuntimeException e) {
            c.printLogs();
            c.close();
            throw e;
        }
    }

    int size() {
        return spec.size();
    }

    Set<Integer> all() {
        return IntStream.range(0, size()).boxed().collect(Collectors.toSet());
    }

    static String name(int i) {
        return "m" + (i + 1);
    }

    /** {@code 127.0.0.1:PORT} of member i's client port (not proxied). */
    String endpoint(int i) {
        return "127.0.0.1:" + clientPorts[i];
    }

    String clientUrl(int i) {
        return "http://" + endpoint(i);
    }

    List<String> clientUrls() {
        return IntStream.range(0, size()).mapToObj(this::clientUrl).toList();
    }

    /** A plaintext gRPC channel to member i's client port, owned by the runner. */
    ManagedChannel channel(int i) {
        return channels[i];
    }

    PeerProxy proxy() {
        return proxy;
    }

    /** The --initial-cluster every member was started with (advertised, proxied peer URLs). */
    String initialCluster() {
        return initialCluster;
    }

    Path dir() {
        return dir;
    }

    Kind kind() {
        return spec.kind();
    }

    Path dataDir(int i) {
        return dir.resolve(name(i) + ".data");
    }

    private String advertisedPeerUrl(int i) {
        return "http://127.0.0.1:" + proxy.port(i);
    }

    private List<String> command(int i) {
        List<String> cmd = new ArrayList<>();
        if (spec.kind() == Kind.ETCD) {
            cmd.addAll(List.of("/usr/bin/etcd", "--log-level", "error"));
        } else {
            cmd.add(TestServer.kvRoot().resolve("bin/kvd").toString());
        }
        String client = clientUrl(i);
        cmd.addAll(List.of("--name", name(i), "--data-dir", dataDir(i).toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-advertise-peer-urls", advertisedPeerUrl(i),
                "--initial-cluster", initialCluster, "--initial-cluster-token", "kv-it-cluster",
                "--initial-cluster-state", "new",
                "--heartbeat-interval", Long.toString(HEARTBEAT.toMillis()),
                "--election-timeout", Long.toString(ELECTION.toMillis()),
                "--snapshot-count", Long.toString(spec.snapshotCount())));
        String engine = backendOverride.getOrDefault(i, spec.backends().isEmpty() ? null : spec.backends().get(i));
        if (spec.kind() == Kind.KVD && engine != null) {
            cmd.addAll(List.of("--backend", engine));
        }
        cmd.addAll(extraFlags);
        return cmd;
    }

    /** Member i runs {@code engine} from its next start on (kvd only: after an offline migration). */
    void useBackend(int i, String engine) {
        backendOverride.put(i, engine);
    }

    /** SIGTERM, as an operator stops a member, and waits until it is gone. */
    void stop(int i) throws InterruptedException {
        processes[i].destroy();
        if (!processes[i].waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(name(i) + " did not stop within 60 s of SIGTERM");
        }
    }

    private void launch(int i) throws IOException {
        Path log = log(i);
        Files.writeString(log, "---- start " + String.join(" ", command(i)) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command(i)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        if (spec.kind() == Kind.KVD) {
            pb.environment().putIfAbsent("KV_JAVA_OPTS", "-XX:+UseSerialGC -Xms64m -Xmx512m");
        }
        processes[i] = pb.start();
        paused[i] = false;
    }

    private Path log(int i) {
        return dir.resolve(name(i) + ".log");
    }

    private void awaitServing(int i, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                throw new IOException(name(i) + " (" + spec.kind() + ") exited with " + processes[i].exitValue()
                        + " before serving:\n" + Files.readString(log(i)));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), clientPorts[i])) {
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(50));
            }
        }
        throw new IOException(name(i) + " did not listen on " + clientPorts[i] + " within " + timeout);
    }

    boolean running(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    boolean paused(int i) {
        return paused[i];
    }

    /** SIGKILL member i and wait for it to be gone. */
    void kill(int i) {
        Process p = processes[i];
        if (p == null) {
            return;
        }
        List<ProcessHandle> tree = PeerProxy.tree(p);
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paused[i] = false;
    }

    /** Starts member i again on the same data dir and ports (it must have been killed) and waits until it serves. */
    void restart(int i) throws IOException {
        if (running(i)) {
            throw new IllegalStateException(name(i) + " is still running");
        }
        launch(i);
        awaitServing(i, Duration.ofSeconds(60));
    }

    /** SIGSTOP: the member keeps its sockets but does nothing, as a long GC pause or a hung disk. */
    void pause(int i) throws IOException {
        signal(i, "-STOP");
        paused[i] = true;
    }

    /** SIGCONT after {@link #pause}. */
    void resume(int i) throws IOException {
        signal(i, "-CONT");
        paused[i] = false;
    }

    private void signal(int i, String signal) throws IOException {
        if (!running(i)) {
            throw new IllegalStateException(name(i) + " is not running");
        }
        List<String> cmd = new ArrayList<>(List.of("kill", signal));
        PeerProxy.tree(processes[i]).forEach(h -> cmd.add(Long.toString(h.pid())));
        try {
            int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    void partition(Set<Integer> a, Set<Integer> b) {
        proxy.partition(a, b);
    }

    void isolate(int i) {
        proxy.isolate(i);
    }

    void heal() {
        proxy.heal();
    }

    /** Member i's status, or empty if it does not answer within {@code timeout} (down, paused, overloaded). */
    Optional<MemberStatus> status(int i, Duration timeout) {
        if (!running(i) || paused[i]) {
            return Optional.empty();
        }
        try {
            StatusResponse r = MaintenanceGrpc.newBlockingStub(channels[i]).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .status(StatusRequest.getDefaultInstance());
            return Optional.of(new MemberStatus(r.getHeader().getMemberId(), r.getLeader(), r.getHeader().getRevision(),
                    r.getRaftIndex(), r.getRaftTerm()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A member's HashKV answer: the hash of its MVCC history up to a revision, from its compact revision. */
    record HashKv(long hash, long revision, long compactRevision) {}

    /** HashKV of member i at {@code revision} (0: latest). */
    HashKv hashKv(int i, long revision, Duration timeout) {
        var r = MaintenanceGrpc.newBlockingStub(channels[i]).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
        return new HashKv(Integer.toUnsignedLong(r.getHash()), r.getHeader().getRevision(), r.getCompactRevision());
    }

    /** The member that {@code among} (all that answer) agree is leader, if it is one of them and says so itself. */
    Optional<Integer> leader(Set<Integer> among) {
        List<MemberStatus> seen = new ArrayList<>();
        Integer candidate = null;
        for (int i : among) {
            Optional<MemberStatus> s = status(i, Duration.ofMillis(500));
            if (s.isEmpty()) {
                continue;
            }
            seen.add(s.get());
            if (s.get().isLeader()) {
                candidate = i;
            }
        }
        if (candidate == null || seen.isEmpty()) {
            return Optional.empty();
        }
        long id = seen.stream().filter(MemberStatus::isLeader).findFirst().orElseThrow().memberId();
        boolean agreed = seen.stream().allMatch(s -> s.leader() == id);
        return agreed ? Optional.of(candidate) : Optional.empty();
    }

    /** Waits until a member of {@code among} leads and every answering member of {@code among} agrees. */
    int awaitLeader(Set<Integer> among, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> l = leader(among);
            if (l.isPresent()) {
                return l.get();
            }
            sleep(Duration.ofMillis(20));
        }
        throw new AssertionError("no leader among " + names(among) + " within " + timeout + ": " + statuses());
    }

    /**
     * Waits until every member is at the same revision with the same HashKV there (and the same
     * compact revision) and returns that revision; fails with what each member says otherwise.
     */
    long awaitConverged(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Set<Long> revisions = new HashSet<>();
            for (int i = 0; i < size(); i++) {
                revisions.add(status(i, Duration.ofSeconds(1)).map(MemberStatus::revision).orElse(-1L));
            }
            if (revisions.size() == 1 && !revisions.contains(-1L)) {
                long rev = revisions.iterator().next();
                try {
                    Set<String> hashes = new HashSet<>();
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < size(); i++) {
                        HashKv h = hashKv(i, rev, Duration.ofSeconds(5));
                        hashes.add(h.hash() + "/" + h.compactRevision());
                        sb.append(name(i)).append(": hash ").append(Long.toHexString(h.hash())).append(" compacted ").append(h.compactRevision()).append("; ");
                    }
                    if (hashes.size() == 1) {
                        return rev;
                    }
                    last = "at revision " + rev + " " + sb;
                } catch (RuntimeException e) {
                    last = "HashKV at " + rev + " failed: " + e;
                }
            } else {
                last = "revisions " + statuses();
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("members did not converge within " + timeout + ": " + last);
    }

    /** Every member's status, for failure messages. */
    String statuses() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            sb.append(name(i)).append('=').append(status(i, Duration.ofMillis(500))
                    .map(s -> "id " + Long.toHexString(s.memberId()) + " leader " + Long.toHexString(s.leader())
                            + " rev " + s.revision() + " term " + s.raftTerm())
                    .orElse(running(i) ? (paused[i] ? "paused" : "no answer") : "down")).append("; ");
        }
        return sb.toString();
    }

    static String names(Set<Integer> members) {
        return members.stream().sorted().map(ClusterRunner::name).collect(Collectors.joining(",", "{", "}"));
    }

    /** Prints every member's log (on failure). */
    void printLogs() {
        for (int i = 0; i < size(); i++) {
            try {
                String log = Files.exists(log(i)) ? Files.readString(log(i)) : "(no log)";
                int from = Math.max(0, log.length() - 20_000);
                System.out.println("======== " + name(i) + " log (" + spec.kind() + ")" + (from > 0 ? ", last 20000 chars" : "") + ":\n"
                        + log.substring(from));
            } catch (IOException e) {
                System.out.println("======== " + name(i) + ": cannot read log: " + e);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < size(); i++) {
            if (paused[i] && running(i)) {
                try {
                    resume(i); // a stopped process still dies of SIGKILL, but be tidy about the tree
                } catch (IOException | RuntimeException ignored) {
                    // killed next anyway
                }
            }
            kill(i);
        }
        proxy.close();
        for (ManagedChannel ch : channels) {
            if (ch != null) {
                ch.shutdownNow();
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
