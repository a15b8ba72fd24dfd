package kv.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The world one kvctl run sees: standard streams and environment. Tests run kvctl in-process with
 * their own; {@link Main#main} passes the process's. {@code terminal}: standard error is a terminal, so
 * progress may be drawn there. Immutable; the streams are shared, not owned.
 */
record Session(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    Session {
        env = Map.copyOf(env);
    }
}
