package kv.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kv.cli.output.UnsupportedFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code kvctl}. Parses the command line (global flags may also come from
 * {@code ETCDCTL_*} environment variables), runs the command and turns every expected failure into
 * etcdctl's one-line {@code Error: ...} on standard error and etcdctl's exit status. Stack traces
 * are never shown, except with {@code --debug}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // System.out encodes with the platform charset and may not even be UTF-8: write bytes ourselves
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        java.io.Console console = System.console();
        int status = run(args, System.in, out, err, System.getenv(), console != null && console.isTerminal());
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs kvctl in-process with the given streams and the process's environment; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err, System.getenv());
    }

    /** Runs kvctl in-process; {@code env} stands for the environment ({@code ETCDCTL_*}). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, in, out, err, env, false);
    }

    /** Runs kvctl in-process; {@code terminal}: standard error counts as a terminal (progress is drawn). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        Kvctl root = new Kvctl();
        root.session = new Session(in, out, err, env, terminal);
        CommandLine cl = new CommandLine(root);
        CommandTree.addCommandsFor(cl, args);
        cl.setDefaultValueProvider(new EnvDefaults(env));
        cl.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setUsageHelpAutoWidth(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ManPage.decorate(cl);
        cl.setParameterExceptionHandler((e, a) -> fail(err, new CliException(ExitCode.ERROR, cobraMessage(e))));
        cl.setExecutionExceptionHandler((e, c, p) -> handle(e, err, root.debug));
        try {
            return cl.execute(args);
        } finally {
            out.flush();
        }
    }

    private static int handle(Exception e, PrintStream err, boolean debug) {
        if (debug) {
            e.printStackTrace(err);
        }
        return switch (e) {
            case CliException c -> fail(err, c);
            case UnsupportedFormatException u -> fail(err, new CliException(ExitCode.BAD_FEATURE, u.getMessage()));
            case io.grpc.StatusRuntimeException s -> fail(err, new CliException(ExitCode.ERROR, EtcdClient.describe(s.getStatus())));
            case java.io.IOException io -> fail(err, new CliException(ExitCode.IO, String.valueOf(io.getMessage())));
            case InterruptedException i -> fail(err, new CliException(ExitCode.INTERRUPTED, "interrupted"));
            default -> fail(err, new CliException(ExitCode.ERROR, e.toString()));
        };
    }

    private static int fail(PrintStream err, CliException e) {
        if (e.getMessage() != null) {
            err.println("Error: " + e.getMessage());
        }
        err.flush();
        return e.exitCode().status();
    }

    /** picocli's parse errors in the words etcdctl's flag library (cobra/pflag) uses. */
    static String cobraMessage(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                return "unknown flag: " + arg.split("=", 2)[0];
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            }
            return "unknown command \"" + arg + "\" for \"" + e.getCommandLine().getCommandSpec().qualifiedName() + "\"";
        }
        ArgSpec spec = e.getArgSpec();
        if (e instanceof CommandLine.MissingParameterException m) {
            java.util.regex.Matcher option = java.util.regex.Pattern.compile("option '(-[^']+)'").matcher(String.valueOf(m.getMessage()));
            if (option.find()) {
                return "flag needs an argument: " + option.group(1);
            }
        }
        if (spec instanceof OptionSpec o && e.getValue() != null) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            return "invalid argument \"" + e.getValue() + "\" for \"" + o.longestName() + "\" flag: " + goNumberError(o, e.getValue(), why);
        }
        return e.getMessage();
    }

    private static String goNumberError(OptionSpec o, String value, String fallback) {
        Class<?> type = o.type();
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            try {
                GoInts.parseInt(value, 10);
            } catch (IllegalArgumentException x) {
                return x.getMessage();
            }
        }
        return fallback;
    }

    /** {@code ETCDCTL_<FLAG>} for every global flag not given on the command line, as etcdctl does. */
    private record EnvDefaults(Map<String, String> env) implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec o) || o.scopeType() != CommandLine.ScopeType.INHERIT) {
                return null;
            }
            String name = "ETCDCTL_" + o.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
            return env.get(name);
        }
    }

    /** Makes every command's help read like a man page: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES. */
    private static final class ManPage {
        static void decorate(CommandLine cl) {
            CommandSpec spec = cl.getCommandSpec();
            String[] description = spec.usageMessage().description();
            String summary = description.length > 0 ? description[0] : "";
            String name = "NAME%n  " + spec.qualifiedName() + " - " + summary + "%n";
            cl.getHelpSectionMap().put("name", help -> help.createHeading(name));
            List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
            // picocli hands the root's section keys down to every subcommand: add "name" once
            if (!keys.contains("name")) {
                keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING), "name");
                cl.setHelpSectionKeys(keys);
            }
            spec.usageMessage()
                    .synopsisHeading("%nSYNOPSIS%n  ")
                    .descriptionHeading("%nDESCRIPTION%n")
                    .parameterListHeading("%nARGUMENTS%n")
                    .optionListHeading("%nOPTIONS%n")
                    .commandListHeading("%nCOMMANDS%n")
                    .footerHeading(spec.usageMessage().footer().length > 0 ? "%nEXAMPLES%n" : "");
            if (description.length > 0) {
                spec.usageMessage().description(indent(description));
            }
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("help for " + spec.name()).build());
            cl.getSubcommands().values().forEach(ManPage::decorate);
        }

        private static String[] indent(String[] lines) {
            String[] out = new String[lines.length];
            for (int i = 0; i < lines.length; i++) {
                out[i] = "  " + lines[i];
            }
            return out;
        }
    }
}
