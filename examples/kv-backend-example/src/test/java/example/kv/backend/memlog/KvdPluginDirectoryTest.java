package example.kv.backend.memlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in as an operator uses it: memlog's classes packed into a jar in a plug-in directory,
 * {@code bin/kvd --plugin-dir DIR --backend memlog}, and etcdctl against it on loopback. Needs the
 * built distribution ({@code kv.dist/target/modules}) and {@code etcdctl} on the PATH; the kv
 * checkout is {@code ../..} from this module, or the {@code kv.root} system property.
 */
@EnabledIf("distributionBuilt")
class KvdPluginDirectoryTest {
    private static final Path ROOT = Path.of(System.getProperty("kv.root", "../..")).toAbsolutePath().normalize();
    private static final Path KVD = ROOT.resolve("bin/kvd");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    static boolean distributionBuilt() throws IOException {
        Path modules = ROOT.resolve("kv.dist/target/modules");
        if (!Files.isExecutable(KVD) || !Files.isDirectory(modules) || onPath("etcdctl") == null) {
            return false;
        }
        try (Stream<Path> s = Files.list(modules)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("kv.server-"));
        }
    }

    private static Path onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @AfterEach
    void stopKvd() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void kvdListsTheJarAndServesEtcdctlFromIt() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = plugins.resolve("kv-backend-example.jar");
        packJar(Path.of("target", "classes"), jar);

        String listing = run(List.of(KVD.toString(), "--plugin-dir", plugins.toString(), "--backend", "memlog", "--list-backends"));
        String memlogLine = listing.lines().filter(l -> l.startsWith("memlog ")).findFirst()
                .orElseThrow(() -> new AssertionError("--list-backends does not list memlog:\n" + listing));
        assertTrue(memlogLine.endsWith(jar.toString()), "origin is the jar: " + memlogLine);

        Path data = tmp.resolve("data");
        int client = freePort();
        Process kvd = startKvd(plugins, data, client, freePort());
        String endpoint = "127.0.0.1:" + client;
        awaitHealthy(kvd, endpoint);
        assertEquals("OK", etcdctl(endpoint, "put", "plug", "in").strip());
        assertEquals("plug\nin", etcdctl(endpoint, "get", "plug").strip());
        assertEquals("memlog", Files.readString(data.resolve("member/engine")).strip());
        assertTrue(Files.isDirectory(data.resolve("member/db-memlog")));

        kvd.destroyForcibly(); // SIGKILL: what memlog acknowledged must come back
        kvd.waitFor(30, TimeUnit.SECONDS);
        Process again = startKvd(plugins, data, client, freePort());
        awaitHealthy(again, endpoint);
        assertEquals("plug\nin", etcdctl(endpoint, "get", "plug").strip(), "after SIGKILL and restart on memlog");
    }

    private Process startKvd(Path plugins, Path data, int client, int peer) throws IOException {
        String c = "http://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        Process kvd = new ProcessBuilder(KVD.toString(), "--plugin-dir", plugins.toString(), "--backend", "memlog",
                "--name", "m1", "--data-dir", data.toString(), "--listen-client-urls", c, "--advertise-client-urls", c,
                "--listen-peer-urls", p, "--initial-advertise-peer-urls", p, "--initial-cluster", "m1=" + p)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("kvd-" + started.size() + ".log").toFile())
                .start();
        started.add(kvd);
        return kvd;
    }

    private void awaitHealthy(Process kvd, String endpoint) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!kvd.isAlive()) {
                fail("kvd exited with " + kvd.exitValue() + ":\n" + lastLog());
            }
            Process p = etcdctlProcess(endpoint, "endpoint", "health");
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
            p.destroyForcibly();
            Thread.sleep(300);
        }
        fail("kvd on " + endpoint + " did not become healthy in 90 s:\n" + lastLog());
    }

    private String lastLog() throws IOException {
        return Files.readString(tmp.resolve("kvd-" + (started.size() - 1) + ".log"));
    }

    private String etcdctl(String endpoint, String... args) throws Exception {
        Process p = etcdctlProcess(endpoint, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "etcdctl finished");
        assertEquals(0, p.exitValue(), "etcdctl " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static Process etcdctlProcess(String endpoint, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint, "--command-timeout=5s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        return pb.start();
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " finished");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    /** Packs a classes directory (module-info.class, classes, META-INF/services) into a jar, as the build's jar plug-in would. */
    private static void packJar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static int freePort() throws IOException {
        return kv.testkit.Ports.free();
    }
}
