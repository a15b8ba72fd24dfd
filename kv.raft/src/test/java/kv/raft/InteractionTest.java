package kv.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden interaction script under {@code src/test/resources/interaction}. With
 * {@code -Dkv.rewrite=true} the expected outputs are regenerated in place (review the diff!).
 */
class InteractionTest {
    private static final Path DIR = Path.of(System.getProperty("user.dir"), "src/test/resources/interaction");

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runScript(f)));
    }

    private static void runScript(Path file) throws IOException {
        DataDriven.Script script = DataDriven.parse(file);
        InteractionEnv env = new InteractionEnv();
        List<String> actual = new ArrayList<>();
        boolean rewrite = Boolean.getBoolean("kv.rewrite");
        for (DataDriven.Command c : script.commands()) {
            String got = env.run(c);
            actual.add(got);
            if (!rewrite) {
                assertEquals(c.expected(), got, file.getFileName() + ":" + c.line() + ": " + c.text());
            }
        }
        if (rewrite) {
            DataDriven.rewrite(file, script, actual);
        }
    }
}
