package kv.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory an offline command made (a WAL copy, a scratch restore) and removes when
 * done. Best effort: a file that cannot be deleted is left in the temp directory, never an error
 * that would hide the command's own result. Stateless.
 */
final class TempTree {
    private TempTree() {}

    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(TempTree.class.getName()).log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", root, e.getMessage());
        }
    }
}
