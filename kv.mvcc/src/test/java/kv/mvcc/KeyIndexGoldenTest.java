package kv.mvcc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file tests of the key index: puts, tombstones, reads at revisions and compaction across
 * generations. Files under src/test/resources/kv/mvcc/keyindex; commands:
 * {@code put KEY REV}, {@code tombstone KEY REV}, {@code get KEY AT}, {@code compact AT},
 * {@code keep AT}, {@code range FROM END AT} (END "-" for a single key, "" for open), {@code index}.
 * REV is {@code main} or {@code main.sub}. Rewrite with -Dkv.rewrite=true.
 */
class KeyIndexGoldenTest {
    static Stream<Path> files() throws Exception {
        Path dir = DataDriven.source("kv/mvcc/keyindex");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void golden(Path file) {
        TreeIndex index = new TreeIndex();
        DataDriven.run(file, line -> run(index, line));
    }

    private static String run(TreeIndex index, String line) {
        String[] a = line.trim().split("\\s+");
        try {
            return switch (a[0]) {
                case "put" -> {
                    index.put(b(a[1]), rev(a[2]));
                    yield describe(index);
                }
                case "tombstone" -> index.tombstone(b(a[1]), rev(a[2])) ? describe(index) : "revision not found";
                case "get" -> {
                    KeyIndex.Found f = index.get(b(a[1]), Long.parseLong(a[2]));
                    yield f == null ? "not found" : "mod " + f.modified() + " created " + f.created() + " ver " + f.version();
                }
                case "compact" -> {
                    Set<Revision> keep = index.compact(Long.parseLong(a[1]));
                    yield "keep " + sorted(keep) + "\n" + describe(index);
                }
                case "keep" -> "keep " + sorted(index.keep(Long.parseLong(a[1])));
                case "range" -> {
                    byte[] end = a[2].equals("-") ? null : a[2].equals("\"\"") ? new byte[0] : b(a[2]);
                    TreeIndex.Hits h = index.range(b(a[1]), end, Long.parseLong(a[3]), 0);
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < h.keys().size(); i++) {
                        out.add(new String(h.keys().get(i), StandardCharsets.UTF_8) + "@" + h.revs().get(i));
                    }
                    yield "total " + h.total() + " " + out;
                }
                case "index" -> describe(index);
                default -> throw new IllegalArgumentException("unknown command " + a[0]);
            };
        } catch (IllegalStateException e) {
            return "panic: " + e.getMessage();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Revision rev(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? new Revision(Long.parseLong(s), 0)
                : new Revision(Long.parseLong(s.substring(0, dot)), Long.parseLong(s.substring(dot + 1)));
    }

    private static String sorted(Set<Revision> revs) {
        return revs.stream().sorted().toList().toString();
    }

    private static String describe(TreeIndex index) {
        StringBuilder sb = new StringBuilder();
        index.forEach(ki -> sb.append(ki.describe()).append('\n'));
        return sb.isEmpty() ? "(empty)" : sb.toString();
    }
}
