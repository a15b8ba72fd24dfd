package kv.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration in a child JVM killed with SIGKILL at random points of its copy: whatever engine the
 * record names afterwards opens with the whole content, and a rerun (after deleting a verified copy
 * left in the one documented window) completes the migration.
 */
class KilledMigrationTest {
    private static final BackendLocator LOCATOR = BackendLocator.builtIn();

    @TempDir
    Path tmp;

    @Test
    void aSigkillAnywhereLeavesAStartableMemberAndARerunFinishes() throws Exception {
        Content c = Content.generate(20_000, 1, 11);
        Random r = new Random();
        for (int kill = 0; kill < 4; kill++) {
            DataDir dir = new DataDir(tmp.resolve("data-" + kill));
            c.writeTo(dir, "jbolt");
            BackendHash original = DataDirHash.of(dir, LOCATOR, Map.of());
            boolean finished = runAndKill(dir, "rocksdb", 1 + r.nextInt(45), r.nextInt(40)); // about 41 reports in all
            String recorded = dir.recordedEngine().orElseThrow();
            assertEquals(original, DataDirHash.of(dir, LOCATOR, Map.of()), "kill " + kill + ": the recorded engine " + recorded + " opens whole");
            c.assertIn(dir, recorded);
            if (!finished || recorded.equals("jbolt")) {
                assertEquals("jbolt", recorded, "kill " + kill + ": the record switches only at the end");
                Trees.delete(dir.backend("rocksdb")); // only present when killed between the rename and the switch
                assertEquals(original, new EngineMigration(LOCATOR).migrate(dir, EngineMigration.Plan.to("rocksdb"), p -> {}).hash());
            }
            assertEquals(Optional.of("rocksdb"), dir.recordedEngine());
            c.assertIn(dir, "rocksdb");
            assertTrue(Files.notExists(dir.member().resolve("db-rocksdb" + EngineMigration.MIGRATING)));
        }
    }

    /** Starts the child, kills it after {@code reports} progress reports and {@code delayMs}; returns whether it finished first. */
    private boolean runAndKill(DataDir dir, String target, int reports, int delayMs) throws Exception {
        Process child = new ProcessBuilder(command(dir, target)).redirectError(tmp.resolve("child.err").toFile()).start();
        AtomicLong seen = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().start(() -> read(child, seen, done));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.get() < reports && !done.get() && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(delayMs);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        System.out.println("migration child killed after " + seen.get() + " progress reports" + (done.get() ? " (it had finished)" : ""));
        return done.get();
    }

    private static void read(Process child, AtomicLong seen, AtomicBoolean done) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("progress ")) {
                    seen.incrementAndGet();
                } else if (line.equals("done")) {
                    done.set(true);
                }
            }
        } catch (IOException e) {
            // killed mid-line: what was read stands
        }
    }

    private static List<String> command(DataDir dir, String target) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(List.of("-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.add(MigrationChild.class.getName());
        cmd.add(dir.root().toString());
        cmd.add(target);
        return cmd;
    }
}
