package kv.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * A {@code @TempDir} on tmpfs ({@code /dev/shm}) when the machine has one: crash-state checking
 * creates and deletes thousands of small real files, which on a shared disk costs journal commits
 * and not much else. Falls back to the default temp directory.
 */
final class MemoryBackedTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "kv-wal-");
        }
        return Files.createTempDirectory("kv-wal-");
    }
}
