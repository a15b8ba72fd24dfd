package kv.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendException;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import kv.backend.spi.BackendProvider;

/**
 * Offline migration of a stopped member's backend from its recorded engine to another one
 * ({@code kvctl migrate}). Steps, each only after the previous succeeded:
 *
 * <ol>
 *   <li>checks: the data directory and its engine record exist, the target engine is known and is
 *       not the recorded one, no member runs (the WAL lock is free; it is then held to the end),
 *       {@code member/db-<target>} is absent; a leftover {@code member/db-<target>.migrating} of an
 *       interrupted run is deleted;
 *   <li>copy, bucket by bucket, into {@code member/db-<target>.migrating} in bounded write
 *       transactions ({@link Plan#maxTxBytes()}, {@link Plan#maxTxEntries()}), reporting
 *       {@link Progress} after each; the last commit is SYNC;
 *   <li>verify: the {@link BackendHash} of the source equals that of the copy;
 *   <li>rename the copy to {@code member/db-<target>} and fsync {@code member};
 *   <li>switch the engine record ({@link DataDir#record}, atomic and fsynced);
 *   <li>delete the source's directory, unless {@link Plan#keepSource()}.
 * </ol>
 *
 * <p>Until step 5 the record names the source engine and the source's files are untouched, so an
 * interruption at any point (an exception, a kill, a power cut) leaves a member that starts on the
 * source as before; a failure in steps 2-3 also deletes the partial copy, and a rerun deletes one a
 * kill left behind. One window needs an operator: a kill between steps 4 and 5 leaves a verified
 * {@code member/db-<target>} beside the still-recorded source, and a rerun refuses it as present
 * (its message says to delete it and rerun).
 *
 * <p>Stateless apart from the locator; thread-safe, though two migrations of one directory exclude
 * each other through the WAL lock only when the directory has a WAL.
 */
public final class EngineMigration {
    private static final System.Logger LOG = System.getLogger(EngineMigration.class.getName());
    static final String OP = "migrate";
    static final String MIGRATING = ".migrating";

    private final BackendLocator locator;
    private final Consumer<Backend> beforeVerify;

    /** A migration that finds engines through {@code locator}. */
    public EngineMigration(BackendLocator locator) {
        this(locator, target -> {});
    }

    /** For tests: {@code beforeVerify} sees the finished copy, open, before it is verified. */
    EngineMigration(BackendLocator locator, Consumer<Backend> beforeVerify) {
        this.locator = Objects.requireNonNull(locator, "locator");
        this.beforeVerify = Objects.requireNonNull(beforeVerify, "beforeVerify");
    }

    /**
     * What to migrate to and how.
     *
     * @param target the engine to migrate to, by its provider name
     * @param keepSource keep the source engine's directory after the switch (for a quick way back)
     * @param maxTxBytes bytes of keys and values after which a copy transaction commits (at least 1)
     * @param maxTxEntries entries after which a copy transaction commits (at least 1)
     * @param options engine options for opening both stores ({@link BackendConfig#options()})
     */
    public record Plan(String target, boolean keepSource, long maxTxBytes, long maxTxEntries, Map<String, String> options) {
        /** 64 MiB per copy transaction by default. */
        public static final long DEFAULT_TX_BYTES = 64L * 1024 * 1024;
        /** 100,000 entries per copy transaction by default. */
        public static final long DEFAULT_TX_ENTRIES = 100_000;

        public Plan {
            Objects.requireNonNull(target, "target");
            if (target.isBlank()) {
                throw new IllegalArgumentException("migrate: the target engine is empty");
            }
            if (maxTxBytes < 1 || maxTxEntries < 1) {
                throw new IllegalArgumentException("migrate: transaction bounds must be positive, got " + maxTxBytes
                        + " bytes, " + maxTxEntries + " entries");
            }
            options = Map.copyOf(Objects.requireNonNull(options, "options"));
        }

        /** To {@code target} with the default bounds, deleting the source, no engine options. */
        public static Plan to(String target) {
            return new Plan(target, false, DEFAULT_TX_BYTES, DEFAULT_TX_ENTRIES, Map.of());
        }

        public Plan withKeepSource(boolean keep) {
            return new Plan(target, keep, maxTxBytes, maxTxEntries, options);
        }

        public Plan withTxBounds(long bytes, long entries) {
            return new Plan(target, keepSource, bytes, entries, options);
        }

        public Plan withOptions(Map<String, String> engineOptions) {
            return new Plan(target, keepSource, maxTxBytes, maxTxEntries, engineOptions);
        }
    }

    /**
     * How far the copy is: entries and payload bytes (keys plus values) copied and committed so far,
     * of the totals counted before the copy began.
     *
     * @param bucket the bucket being copied
     */
    public record Progress(String bucket, long entries, long totalEntries, long bytes, long totalBytes) {
        /** The share done, 0 to 1, by bytes (by entries when there are no bytes). */
        public double fraction() {
            if (totalBytes > 0) {
                return (double) bytes / totalBytes;
            }
            return totalEntries == 0 ? 1 : (double) entries / totalEntries;
        }
    }

    /** Receives {@link Progress} on the migrating thread; throwing from it aborts the migration. */
    @FunctionalInterface
    public interface ProgressListener {
        void copied(Progress progress);
    }

    /**
     * A finished migration.
     *
     * @param hash the content hash both stores had
     * @param keptSource the source's directory when it was kept
     */
    public record Result(String source, String target, BackendHash hash, long payloadBytes, Path targetDirectory,
            Optional<Path> keptSource, Duration took) {}

    /**
     * Migrates {@code dir} as {@code plan} says.
     *
     * @throws MigrationException for every refusal and failure, naming it; the directory then still
     *     opens with its recorded engine
     */
    public Result migrate(DataDir dir, Plan plan, ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        long t0 = System.nanoTime();
        String source = recordedEngine(dir, OP);
        BackendProvider from = provider(source, "recorded", dir);
        BackendProvider to = target(plan, source);
        try (MemberLock lock = MemberLock.acquire(dir, OP)) {
            Path sourceDir = existingBackendDir(dir, source, OP);
            Path targetDir = dir.backend(plan.target());
            Path copyDir = targetDir.resolveSibling(targetDir.getFileName() + MIGRATING);
            if (Files.exists(targetDir)) {
                throw new MigrationException(OP + ": " + targetDir + " already exists (kept by an earlier migration, or left by one"
                        + " killed after its copy was verified); the member runs on \"" + source + "\": delete it and rerun");
            }
            removeLeftover(copyDir);
            Copy.Outcome copied = copyAndVerify(from, to, sourceDir, copyDir, plan, progress);
            switchOver(dir, plan, copyDir, targetDir, sourceDir);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LOG.log(System.Logger.Level.INFO, "migrated {0} from {1} to {2}: {3} entries in {4}",
                    dir.root(), source, plan.target(), copied.hash().entries(), took);
            return new Result(source, plan.target(), copied.hash(), copied.payloadBytes(), targetDir,
                    plan.keepSource() ? Optional.of(sourceDir) : Optional.empty(), took);
        }
    }

    /** Copies and verifies; on any failure deletes the partial copy and reports what happened. */
    private Copy.Outcome copyAndVerify(BackendProvider from, BackendProvider to, Path sourceDir, Path copyDir, Plan plan,
            ProgressListener progress) {
        try {
            Files.createDirectories(copyDir);
            try (Backend src = open(from, sourceDir, plan); Backend dst = open(to, copyDir, plan)) {
                long payload = new Copy(src, dst, plan, progress).run();
                beforeVerify.accept(dst);
                return new Copy.Outcome(verify(src, dst), payload);
            }
        } catch (RuntimeException | IOException e) {
            deleteQuietly(copyDir);
            if (e instanceof MigrationException m) {
                throw m;
            }
            throw new MigrationException(OP + ": copying from \"" + from.name() + "\" to \"" + to.name() + "\" failed: "
                    + e.getMessage() + "; nothing was switched, the member still runs on \"" + from.name() + "\"", e);
        }
    }

    private static BackendHash verify(Backend src, Backend dst) {
        BackendHash a = BackendHash.of(src);
        BackendHash b = BackendHash.of(dst);
        if (!a.equals(b)) {
            throw new MigrationException(OP + ": verification failed: \"" + src.engine() + "\" holds " + a.buckets() + " buckets, "
                    + a.entries() + " entries, sha256 " + a.sha256() + " but the copy in \"" + dst.engine() + "\" holds "
                    + b.buckets() + " buckets, " + b.entries() + " entries, sha256 " + b.sha256()
                    + "; the copy was deleted and the member still runs on \"" + src.engine() + "\"");
        }
        return a;
    }

    /** Steps 4 to 6: rename the verified copy, switch the record, drop the source. */
    private static void switchOver(DataDir dir, Plan plan, Path copyDir, Path targetDir, Path sourceDir) {
        try {
            Trees.syncDir(copyDir); // the engine forced its files; make their names durable too
            Files.move(copyDir, targetDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Trees.syncDir(dir.member());
        } catch (IOException e) {
            throw new MigrationException(OP + ": cannot rename " + copyDir + " to " + targetDir + ": " + e.getMessage()
                    + "; the member still runs on its recorded engine", e);
        }
        try {
            dir.record(plan.target());
        } catch (java.io.UncheckedIOException e) {
            throw new MigrationException(OP + ": the verified copy is in " + targetDir + " but switching the engine record failed: "
                    + e.getMessage() + "; the member still runs on its recorded engine: delete " + targetDir + " and rerun", e);
        }
        if (!plan.keepSource()) {
            try {
                Trees.delete(sourceDir);
                Trees.syncDir(dir.member());
            } catch (IOException e) {
                throw new MigrationException(OP + ": migrated to \"" + plan.target() + "\", but deleting the old " + sourceDir
                        + " failed (delete it by hand): " + e.getMessage(), e);
            }
        }
    }

    private BackendProvider target(Plan plan, String source) {
        if (plan.target().equals(source)) {
            throw new MigrationException(OP + ": the member already runs on \"" + source + "\": nothing to migrate");
        }
        try {
            return locator.find(plan.target());
        } catch (BackendException e) {
            throw new MigrationException(OP + ": target engine: " + e.getMessage(), e);
        }
    }

    BackendProvider provider(String engine, String what, DataDir dir) {
        try {
            return locator.find(engine);
        } catch (BackendException e) {
            throw new MigrationException(OP + ": the " + what + " engine of " + dir.root() + " is not available: " + e.getMessage(), e);
        }
    }

    /** The engine recorded for {@code dir}, refusing a directory that is absent or has no record. */
    static String recordedEngine(DataDir dir, String op) {
        if (!Files.isDirectory(dir.member())) {
            throw new MigrationException(op + ": data directory " + dir.root() + " does not exist or holds no member directory");
        }
        return dir.recordedEngine().filter(e -> !e.isEmpty()).orElseThrow(() -> new MigrationException(op + ": data directory "
                + dir.root() + " has no engine record (member/engine): start kvd on it once, or name the engine it was written with"));
    }

    static Path existingBackendDir(DataDir dir, String engine, String op) {
        Path p = dir.backend(engine);
        if (!Files.isDirectory(p)) {
            throw new MigrationException(op + ": the recorded engine is \"" + engine + "\" but " + p + " does not exist");
        }
        return p;
    }

    static Backend open(BackendProvider provider, Path dir, Plan plan) throws IOException {
        return provider.open(new BackendConfig(dir, Durability.SYNC, plan.options()));
    }

    private static void removeLeftover(Path copyDir) {
        if (!Files.exists(copyDir)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "migrate: deleting {0}, left by an interrupted migration", copyDir);
        try {
            Trees.delete(copyDir);
        } catch (IOException e) {
            throw new MigrationException(OP + ": cannot delete the leftover " + copyDir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Trees.delete(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "migrate: cannot delete the partial copy {0} (a rerun deletes it): {1}", p, e.getMessage());
        }
    }
}
