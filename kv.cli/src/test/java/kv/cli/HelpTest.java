package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help reads like a man page: NAME, SYNOPSIS, OPTIONS and EXAMPLES, for the root and for commands. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"--help", "get --help", "txn --help", "lease grant --help", "member add --help", "watch -h", "role grant-permission --help",
            "check perf --help", "check datascale --help", "make-mirror --help", "snapshot save --help", "snapshot restore --help"})
    void helpIsAManPage(String args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int status;
        try {
            // picocli's own warnings (a help text it cannot format) go to System.err
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run(args.split(" "), java.io.InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        } finally {
            System.setErr(systemErr);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, help);
        for (String section : new String[] {"NAME", "SYNOPSIS", "OPTIONS", "EXAMPLES"}) {
            assertTrue(help.contains("\n" + section + "\n") || help.startsWith(section + "\n"), section + " missing in:\n" + help);
        }
        assertTrue(help.contains("kvctl"), help);
        assertEquals("", err.toString(StandardCharsets.UTF_8), "picocli formats every help text without a warning");
    }
}
