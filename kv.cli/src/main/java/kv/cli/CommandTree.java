package kv.cli;

import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds kvctl's top-level commands to the root command line: only the one the arguments name when
 * they name one, every one otherwise (root help, no command, an unknown word), so that picocli
 * reflects over one command's classes instead of all of them on every start. What the user sees
 * is the same either way: a named command parses as in the full tree, and everything else gets
 * the full tree. Stateless.
 */
final class CommandTree {
    private CommandTree() {}

    static void addCommandsFor(CommandLine root, String[] args) {
        Optional<Class<?>> only = commandWord(root, args).flatMap(CommandTree::find);
        if (only.isPresent()) {
            root.addSubcommand(new CommandLine(only.get()));
            return;
        }
        for (Class<?> c : Kvctl.COMMANDS) {
            root.addSubcommand(new CommandLine(c));
        }
    }

    private static Optional<Class<?>> find(String word) {
        return Kvctl.COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(word)).findFirst();
    }

    /**
     * The first argument that is not a root option or an option's value; empty when there is none,
     * or when help is asked for before it (root help lists every command).
     */
    static Optional<String> commandWord(CommandLine root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return Optional.empty();
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return Optional.of(a);
            }
            String name = a.startsWith("--") ? a.split("=", 2)[0] : a.substring(0, 2);
            OptionSpec o = root.getCommandSpec().findOption(name);
            if (o == null || o.usageHelp() || o.versionHelp()) {
                return Optional.empty(); // unknown flag or help: the full tree gives picocli's exact answer
            }
            boolean inline = a.startsWith("--") ? a.contains("=") : a.length() > 2;
            if (!inline && takesNext(o, i + 1 < args.length ? args[i + 1] : null)) {
                i++;
            }
        }
        return Optional.empty();
    }

    /** Whether picocli gives the next argument to option {@code o}: always for a value, only "true"/"false" for a flag. */
    private static boolean takesNext(OptionSpec o, String next) {
        if (next == null || o.arity().max() == 0) {
            return false;
        }
        if (o.arity().min() == 0) {
            String n = next.toLowerCase(Locale.ROOT);
            return n.equals("true") || n.equals("false");
        }
        return true;
    }
}
