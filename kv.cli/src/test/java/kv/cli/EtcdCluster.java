package kv.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Assumptions;

/**
 * The cluster the CLI tests talk to: by default a single-member Debian {@code etcd} started here on
 * free loopback ports with a data directory under the test's temp dir, stopped (by its Process
 * handle) when closed; with {@code -Dkv.cli.endpoint=host:port}, an already running server (e.g.
 * kvd) that is left alone. Runs {@code etcdctl} as a process and kvctl in-process against it.
 */
final class EtcdCluster implements AutoCloseable {
    private final TestServer etcd;
    private final String endpoint;

    private EtcdCluster(TestServer etcd, String endpoint) {
        this.etcd = etcd;
        this.endpoint = endpoint;
    }

    /** One run's result: what went to stdout (raw bytes), stderr and the exit status. */
    record Run(byte[] out, String err, int status) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status=" + status + "\nstdout:\n" + text() + "\nstderr:\n" + err;
        }
    }

    /** Starts etcd (or attaches to {@code kv.cli.endpoint}); skips the calling tests if there is no etcd binary. */
    static EtcdCluster start(Path dir) throws IOException, InterruptedException {
        String given = System.getProperty("kv.cli.endpoint", "");
        if (!given.isEmpty()) {
            return new EtcdCluster(null, given);
        }
        Optional<Path> etcd = onPath("etcd");
        Assumptions.assumeTrue(etcd.isPresent(), "etcd is not installed (bin/test-deps installs etcd-server): skipping the etcd-backed kvctl tests");
        if (onPath("etcdctl").isEmpty()) {
            throw new AssertionError("etcd is installed but etcdctl is not: install etcd-client (bin/test-deps)");
        }
        TestServer server = TestServer.start(TestServer.Kind.ETCD, dir);
        EtcdCluster cluster = new EtcdCluster(server, server.endpoint());
        cluster.awaitReady();
        return cluster;
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!etcd.process().isAlive()) {
                throw new AssertionError("etcd exited: " + etcd.log());
            }
            if (kvctl("--command-timeout=1s", "get", "ready").status() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("etcd did not get ready in 30s: " + etcd.log());
    }

    String endpoint() {
        return endpoint;
    }

    /** Whether this is the etcd started here (some etcd quirks are only compared against etcd itself). */
    boolean isEtcd() {
        return etcd != null;
    }

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** kvctl in-process against this cluster. */
    Run kvctl(String... args) {
        return kvctlWith("", Map.of(), args);
    }

    /** kvctl in-process with standard input and extra environment. */
    Run kvctlWith(String stdin, Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoints", endpoint));
        all.addAll(List.of(args));
        return kvctlRaw(stdin, env, all.toArray(String[]::new));
    }

    /** kvctl in-process with exactly these arguments (no --endpoints added). */
    static Run kvctlRaw(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(out.toByteArray(), err.toString(StandardCharsets.UTF_8), status);
    }

    /** etcdctl as a process against this cluster. */
    Run etcdctl(String... args) {
        return etcdctlWith("", args);
    }

    Run etcdctlWith(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoints", endpoint));
        all.addAll(List.of(args));
        return etcdctlRaw(stdin, all.toArray(String[]::new));
    }

    /** etcdctl with exactly these arguments (no --endpoints added). */
    static Run etcdctlRaw(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("etcdctl"));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("etcdctl " + cmd + " did not finish in 60s");
            }
            errReader.join();
            outReader.join();
            return new Run(out.toByteArray(), withoutClientLogs(err.toString(StandardCharsets.UTF_8)), p.exitValue());
        } catch (IOException e) {
            throw new AssertionError("cannot run etcdctl: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            // the process ended
        }
    }

    /** etcdctl's gRPC client logs retries as JSON lines on stderr; they are not part of the interface. */
    private static String withoutClientLogs(String err) {
        StringBuilder sb = new StringBuilder();
        for (String line : err.split("\n", -1)) {
            if (!line.startsWith("{\"level\":")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString().replaceAll("\n+$", "\n");
    }

    @Override
    public void close() {
        if (etcd != null) {
            etcd.close();
        }
    }
}
