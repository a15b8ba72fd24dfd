package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers boot the real modules on the module path, find JDK 25 by themselves when the
 * {@code java} on PATH is older, and fail with one clear line when no JDK 25 can be found.
 */
class LauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("kv.root", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {}

    @Test
    void kvdPrintsItsVersionWithAnOldDefaultJava(@TempDir Path tmp) throws Exception {
        Result r = run(tmp, oldJavaPath(tmp), "bin/kvd", "--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("kvd Version: "), r.out());
        assertTrue(r.out().contains("etcd API Version: 3.5"), r.out());
    }

    @Test
    void kvctlPrintsItsVersionWithAnOldDefaultJava(@TempDir Path tmp) throws Exception {
        Result r = run(tmp, oldJavaPath(tmp), "bin/kvctl", "version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("kvctl version: "), r.out());
        assertTrue(r.out().contains("API version: 3.5"), r.out());
    }

    @Test
    void missingJdk25IsOneClearLine(@TempDir Path tmp) throws Exception {
        // No JDK under the names the launcher looks at: point everything at an empty place.
        Path empty = Files.createDirectories(tmp.resolve("nojdk"));
        Result r = run(tmp, Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", empty.toString(), "KV_JDK_SEARCH", empty.toString()),
                "bin/kvd", "--version");
        assertEquals(3, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("JDK 25"), r.err());
    }

    /**
     * The README's first command: kvd with no flags serves one member on 127.0.0.1:2379 with jbolt
     * in ./default.kv, and etcdctl with no flags works against it. Skipped when something else
     * already holds port 2379 or 2380 on this machine (a developer's etcd, say).
     */
    @Test
    void kvdWithNoFlagsServesEtcdctlWithNoFlags(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(portFree(2379) && portFree(2380), "ports 2379/2380 are in use here");
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Process kvd = new ProcessBuilder(ROOT.resolve("bin/kvd").toString()).directory(cwd.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("kvd.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Result put;
            do {
                Thread.sleep(200);
                put = run(tmp, Map.of("ETCDCTL_API", "3"), "sh", "-c", "etcdctl put a 1 && etcdctl get a");
            } while (put.exit() != 0 && System.nanoTime() < deadline && kvd.isAlive());
            assertEquals(0, put.exit(), put.err() + Files.readString(tmp.resolve("kvd.log")));
            assertEquals("OK\na\n1\n", put.out());
            assertEquals("jbolt", Files.readString(cwd.resolve("default.kv/member/engine")).strip());
        } finally {
            kvd.destroy();
            if (!kvd.waitFor(30, TimeUnit.SECONDS)) {
                kvd.destroyForcibly();
            }
        }
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A PATH whose first {@code java} is a stand-in that reports version 17, as on these machines. */
    private static Map<String, String> oldJavaPath(Path tmp) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("oldjava/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\"' >&2\nexit 0\n");
        java.toFile().setExecutable(true);
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    private static Result run(Path tmp, Map<String, String> env, String... cmd) throws Exception {
        List<String> command = List.of(cmd);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("KV_JAVA_HOME");
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
