package kv.cli;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kv.cli.output.Printer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every kvctl command shares: the global flags, the session's streams, the printer and the
 * client. Commands validate their arguments themselves (as etcdctl does, with its messages and
 * exit codes), so every command takes its positional arguments as a plain list. A command
 * instance runs once.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(hidden = true, arity = "0..*")
    List<String> args = new ArrayList<>();

    private Printer printer;
    /** Set when a command is parsed outside the command tree (txn's request lines). */
    Kvctl owner;

    final Kvctl root() {
        return owner != null ? owner : (Kvctl) spec.root().userObject();
    }

    final GlobalOptions global() {
        return root();
    }

    final Session session() {
        return root().session;
    }

    /** The printer for {@code -w}, made once per command. */
    final Printer printer() {
        if (printer == null) {
            printer = global().printer(session().out(), session().err());
        }
        return printer;
    }

    final ClientConfig clientConfig() {
        return global().clientConfig(promptedPassword());
    }

    /** etcdctl asks for the password when {@code --user} has none; only on a terminal. */
    private Optional<String> promptedPassword() {
        GlobalOptions g = global();
        if (g.user.isEmpty() || !g.password.isEmpty() || g.user.contains(":")) {
            return Optional.empty();
        }
        Console console = System.console();
        return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("Password: ")).map(String::new);
    }

    /** Connects with the global flags. The caller closes it. */
    final EtcdClient connect() {
        ClientConfig cfg = clientConfig();
        printer(); // an unknown -w fails before any connection, as in etcdctl
        if (global().debug) {
            printFlags();
        }
        return EtcdClient.connect(cfg);
    }

    /** {@code --debug}: every global flag as the environment variable that would set it, like etcdctl. */
    private void printFlags() {
        for (var o : spec.root().options()) {
            if (o.scopeType() == picocli.CommandLine.ScopeType.INHERIT && o.longestName().startsWith("--")) {
                String env = "ETCDCTL_" + o.longestName().substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
                Object v = o.getValue();
                String text = v instanceof List<?> l ? "[" + String.join(",", l.stream().map(String::valueOf).toList()) + "]" : v == null ? "" : String.valueOf(v);
                if (o.longestName().equals("--password")) {
                    text = "";
                }
                printer().errorLine(env + "=" + text);
            }
        }
    }

    @Override
    public final Integer call() throws Exception {
        run();
        printer().flush();
        return ExitCode.SUCCESS.status();
    }

    /** Does the command's work; expected failures are {@link CliException}s. */
    abstract void run() throws Exception;
}
