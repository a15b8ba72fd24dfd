package kv.lincheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Locates {@code shared/data/linearizability} beside the checkout and reads its {@code EXPECTED.txt} files. */
final class RecordedHistories {
    private RecordedHistories() {}

    /** One line of an {@code EXPECTED.txt}: a history file and its verdict. */
    record Expected(Path file, Verdict verdict) {}

    /** The data directory: {@code <checkout>/../shared/data/linearizability}. */
    static Path dataDir() {
        String build = System.getProperty("kv.build.dir");
        if (build == null) {
            throw new AssertionError("system property kv.build.dir is not set (the parent POM sets it for surefire)");
        }
        Path dir = Path.of(build).toAbsolutePath().getParent().getParent().getParent().resolve("shared/data/linearizability");
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("recorded histories not found at " + dir
                    + ": clone the shared data beside the main checkout (shared/ next to main/)");
        }
        return dir;
    }

    /** The entries of {@code <folder>/EXPECTED.txt}, whose lines are {@code FILE linearizable|not-linearizable}. */
    static List<Expected> expected(String folder) throws IOException {
        Path dir = dataDir().resolve(folder);
        List<Expected> entries = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.txt"))) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] parts = s.split("\\s+");
            if (parts.length != 2) {
                throw new AssertionError(dir.resolve("EXPECTED.txt") + ": malformed line: " + line);
            }
            Verdict verdict = switch (parts[1]) {
                case "linearizable" -> Verdict.LINEARIZABLE;
                case "not-linearizable" -> Verdict.NOT_LINEARIZABLE;
                default -> throw new AssertionError(dir.resolve("EXPECTED.txt") + ": unknown verdict: " + line);
            };
            Path file = dir.resolve(parts[0]);
            if (!Files.isRegularFile(file)) {
                throw new AssertionError(dir.resolve("EXPECTED.txt") + " names a missing file: " + file);
            }
            entries.add(new Expected(file, verdict));
        }
        if (entries.isEmpty()) {
            throw new AssertionError(dir.resolve("EXPECTED.txt") + " lists no history");
        }
        return entries;
    }
}
