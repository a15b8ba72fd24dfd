package kv.server;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import kv.api.KvVersion;
import kv.backend.BackendException;
import kv.backend.BackendLocator;
import kv.server.boot.Kvd;
import kv.server.boot.StartFailedException;
import kv.server.config.ConfigException;
import kv.server.config.Flags;
import kv.server.config.ServerConfig;

/** Entry point of {@code kvd}: parses etcd-style flags, then runs the member until it is stopped. */
public final class Main {
    /** Exit code for a bad flag or config value (Go's flag package exits 2 as well). */
    static final int EXIT_BAD_CONFIG = 2;
    /** Exit code when start-up fails after the configuration was accepted. */
    static final int EXIT_START_FAILED = 1;

    private Main() {}

    public static void main(String[] args) {
        // Guice reads line numbers with an ASM too old for this JDK's class files; it needs none
        System.setProperty("guice_include_stack_traces", "OFF");
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** The message of the innermost cause: what went wrong, without the assembly's wrapping. */
    private static String rootMessage(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> flags;
        ServerConfig config;
        try {
            flags = Flags.parse(args, env);
            if (flags.get("help").equals("true")) {
                out.print(Flags.usage());
                return 0;
            }
            if (flags.get("version").equals("true")) {
                out.println("kvd Version: " + KvVersion.KV);
                out.println("etcd API Version: " + KvVersion.ETCD_API);
                out.println("Java Version: " + Runtime.version());
                return 0;
            }
            config = ServerConfig.from(flags);
        } catch (ConfigException e) {
            err.println("kvd: " + e.getMessage());
            err.println("Try 'kvd --help' for more information.");
            return EXIT_BAD_CONFIG;
        }
        try {
            BackendLocator engines = BackendLocator.load(config.pluginDir().orElse(null));
            if (flags.get("list-backends").equals("true")) {
                for (BackendLocator.Located l : engines.all()) {
                    out.printf("%-10s %-12s %s%n", l.name(), l.provider().version(), l.origin());
                }
                return 0;
            }
            engines.find(config.backend());
        } catch (BackendException e) {
            err.println("kvd: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        Kvd kvd;
        try {
            kvd = Kvd.start(config);
        } catch (RuntimeException e) {
            err.println("kvd: cannot start: " + (e instanceof StartFailedException ? e.getMessage() : rootMessage(e)));
            return EXIT_START_FAILED;
        }
        try {
            Throwable fatal = kvd.awaitStop();
            if (fatal != null) {
                err.println("kvd: stopped after a fatal error: " + fatal);
                return EXIT_START_FAILED;
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kvd.close();
            return EXIT_START_FAILED;
        }
    }
}
