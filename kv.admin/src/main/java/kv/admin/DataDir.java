package kv.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A member's data directory, laid out as etcd's: {@code member/wal}, {@code member/snap}, and the
 * backend under {@code member/db-<engine>}. It records which engine the member runs on
 * ({@code member/engine}), so kvd never opens the files with another engine; switching engines
 * (an offline migration) writes the new engine's directory beside the old one and then replaces the
 * record atomically, so an interrupted migration leaves the original usable.
 *
 * <p>Shared by kvd and the offline tools; stateless apart from the path, thread-safe.
 */
public record DataDir(Path root) {
    public Path member() {
        return root.resolve("member");
    }

    public Path wal() {
        return member().resolve("wal");
    }

    public Path snap() {
        return member().resolve("snap");
    }

    /** Where {@code engine} keeps its files for this member. */
    public Path backend(String engine) {
        return member().resolve("db-" + engine);
    }

    Path engineFile() {
        return member().resolve("engine");
    }

    /** The engine recorded for this directory, if one was. */
    public Optional<String> recordedEngine() {
        Path f = engineFile();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code engine} may open this directory, recording it when the directory is new.
     *
     * @throws IllegalStateException naming both engines and the migration command when they differ
     */
    public void claimFor(String engine) {
        Optional<String> recorded = recordedEngine();
        if (recorded.isPresent()) {
            if (!recorded.get().equals(engine)) {
                throw new IllegalStateException("data directory " + root + " was written by backend \"" + recorded.get()
                        + "\", not \"" + engine + "\": start kvd with --backend " + recorded.get()
                        + ", or migrate it first with: kvctl migrate --data-dir " + root + " --to " + engine);
            }
            return;
        }
        if (Files.exists(member().resolve("wal"))) {
            throw new IllegalStateException("data directory " + root + " has a WAL but no record of its engine (" + engineFile() + ")");
        }
        record(engine);
    }

    /** Writes the engine record atomically (temp file, fsync, rename). */
    public void record(String engine) {
        try {
            Files.createDirectories(member());
            Path tmp = member().resolve("engine.tmp");
            Files.writeString(tmp, engine + "\n", StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, engineFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (var dir = java.nio.channels.FileChannel.open(member(), java.nio.file.StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the engine in " + member() + ": " + e.getMessage(), e);
        }
    }
}
