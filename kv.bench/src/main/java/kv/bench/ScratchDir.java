package kv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory a benchmark trial writes into and deletes at tear-down. Under
 * {@code kv.bench.dir} when set (to put the data on a chosen disk), else under java.io.tmpdir.
 */
final class ScratchDir {
    private ScratchDir() {}

    static Path create(String prefix) {
        try {
            String base = System.getProperty("kv.bench.dir");
            if (base == null) {
                return Files.createTempDirectory(prefix);
            }
            Path root = Files.createDirectories(Path.of(base));
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
