package kv.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A small golden-file runner in the style of etcd's datadriven tests: a file is a sequence of
 * blocks, each a command line, a line {@code ----}, and the expected output up to a blank line.
 * With {@code -Dkv.rewrite=true} the expected outputs are rewritten from the actual ones (into the
 * source tree, so the diff can be reviewed).
 */
final class DataDriven {
    private DataDriven() {}

    static boolean rewrite() {
        return Boolean.getBoolean("kv.rewrite");
    }

    /** The source copy of a test resource, {@code src/test/resources/<relative>}. */
    static Path source(String relative) {
        Path build = Path.of(System.getProperty("kv.build.dir", "target"));
        return build.getParent().resolve("src/test/resources").resolve(relative);
    }

    /** Runs every block of {@code file} through {@code run} (command line to output). */
    static void run(Path file, Function<String, String> run) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                out.add(line);
                i++;
                continue;
            }
            String command = line;
            i++;
            if (i >= lines.size() || !lines.get(i).equals("----")) {
                throw new IllegalArgumentException(file + ":" + i + ": expected ---- after " + command);
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.append(lines.get(i)).append('\n');
                i++;
            }
            String actual = run.apply(command).strip() + "\n";
            out.add(command);
            out.add("----");
            out.add(actual.stripTrailing());
            if (!rewrite()) {
                assertEquals(expected.toString(), actual, file.getFileName() + ": " + command);
            }
        }
        if (rewrite()) {
            try {
                Files.writeString(file, String.join("\n", out) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
