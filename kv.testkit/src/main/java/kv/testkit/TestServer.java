package kv.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process a test started on loopback: real etcd (Debian's {@code etcd}) or kvd (through
 * {@code bin/kvd}), on free ports, with its data in a directory the test owns. The test stops it
 * with {@link #close()} (SIGTERM, then SIGKILL) or {@link #kill()} (SIGKILL); only this process is
 * ever signalled.
 */
public final class TestServer implements AutoCloseable {
    /** Which implementation to run: the same tests run against both. */
    public enum Kind { ETCD, KVD }

    private final Kind kind;
    private final Process process;
    private final int clientPort;
    private final Path dataDir;
    private final Path log;

    private TestServer(Kind kind, Process process, int clientPort, Path dataDir, Path log) {
        this.kind = kind;
        this.process = process;
        this.clientPort = clientPort;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** Whether Debian's etcd is installed (bin/test-deps installs it). */
    public static boolean etcdInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/etcd"));
    }

    /** The root of the kv checkout (holding bin/kvd), from the {@code kv.root} system property or the working directory's parents. */
    public static Path kvRoot() {
        String p = System.getProperty("kv.root");
        Path dir = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/kvd"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find bin/kvd above " + dir + " (set -Dkv.root)");
    }

    /** Starts a server of {@code kind} with data under {@code dir}; kvd gets {@code extraFlags} too. */
    public static TestServer start(Kind kind, Path dir, String... extraFlags) throws IOException {
        return start(kind, dir, "http", List.of(), List.of(extraFlags));
    }

    /**
     * Starts a server of {@code kind} whose client URL has {@code scheme} (http or https); both kinds
     * get {@code commonFlags} (e.g. TLS files), kvd also {@code kvdFlags}.
     */
    public static TestServer start(Kind kind, Path dir, String scheme, List<String> commonFlags, List<String> kvdFlags) throws IOException {
        int client = freePort();
        int peer = freePort();
        Path data = dir.resolve(kind == Kind.ETCD ? "etcd-data" : "kvd-data");
        String clientUrl = scheme + "://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.ETCD) {
            cmd.add("/usr/bin/etcd");
            cmd.add("--log-level=error");
        } else {
            cmd.add(kvRoot().resolve("bin/kvd").toString());
        }
        cmd.addAll(List.of("--name", "default", "--data-dir", data.toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "default=" + peerUrl));
        cmd.addAll(commonFlags);
        if (kind == Kind.KVD) {
            cmd.addAll(kvdFlags);
        }
        Path log = dir.resolve(kind.name().toLowerCase() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        TestServer s = new TestServer(kind, pb.start(), client, data, log);
        s.awaitServing(Duration.ofSeconds(60));
        return s;
    }

    private void awaitServing(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(kind + " exited with " + process.exitValue() + " before serving:\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), clientPort)) {
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        kill();
        throw new IOException(kind + " did not listen on " + clientPort + " within " + timeout + ":\n" + Files.readString(log));
    }

    public Kind kind() {
        return kind;
    }

    /** {@code 127.0.0.1:PORT}, as etcdctl's --endpoints takes it. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Process process() {
        return process;
    }

    /** What the server printed so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitGone();
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void waitGone() {
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port free now and outside the ephemeral range (see {@link Ports}). */
    public static int freePort() throws IOException {
        return Ports.free();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command to completion (60 s at most) and returns its exit code and output. */
    public static Run run(Map<String, String> env, List<String> cmd, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("kv-run", ".out");
        Path err = Files.createTempFile("kv-run", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The result of {@link #run}. */
    public record Run(int exit, String out, String err) {}
}
