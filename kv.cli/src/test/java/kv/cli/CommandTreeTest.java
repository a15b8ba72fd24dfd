package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Only the named command is built, and the word is found past the root's flags as picocli would parse them. */
class CommandTreeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        get foo                                      | get
        --endpoints 127.0.0.1:1 get foo              | get
        --endpoints=127.0.0.1:1 get foo              | get
        -w json member list                          | member
        -wjson member list                           | member
        --debug get a                                | get
        --debug true put a b                         | put
        --insecure-transport=false --hex get a       | get
        --user u:p --command-timeout 1s snapshot save x | snapshot
        --help get                                   | -
        --bogus get                                  | -
        -- get                                       | -
        --endpoints                                  | -
        """)
    void findsTheCommandWord(String line, String expected) {
        CommandLine root = new CommandLine(new Kvctl());
        assertEquals(Optional.ofNullable(expected), CommandTree.commandWord(root, line.split(" ")));
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        CommandLine root = new CommandLine(new Kvctl());
        CommandTree.addCommandsFor(root, new String[] {"--endpoints", "x:1", "lease", "grant", "10"});
        assertEquals(java.util.Set.of("lease"), root.getSubcommands().keySet());
        CommandLine all = new CommandLine(new Kvctl());
        CommandTree.addCommandsFor(all, new String[] {"nosuch"});
        assertEquals(Kvctl.COMMANDS.size(), all.getSubcommands().size());
    }

    @Test
    void rootHelpListsEveryCommandInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, java.io.InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of()));
        String help = out.toString(StandardCharsets.UTF_8);
        int at = 0;
        for (Class<?> c : Kvctl.COMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            int i = help.indexOf("\n  " + name + " ", at);
            assertTrue(i > 0, name + " missing (or out of order) in:\n" + help);
            at = i;
        }
    }

    @Test
    void anUnknownCommandGetsPicocliAnswerFromTheFullTree() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--endpoints", "x:1", "gett", "a"}, java.io.InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertEquals(1, status);
        assertEquals("Error: unknown command \"gett\" for \"kvctl\"\n", err.toString(StandardCharsets.UTF_8));
    }
}
