package kv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs the command given to {@code watch -- cmd} or {@code lock name cmd}: its output is passed
 * through to the session's streams (not the JVM's), so an in-process run captures it too.
 */
final class ChildProcess {
    private ChildProcess() {}

    /** Starts {@code pb}, copies its stdout and stderr to the session, and returns its exit status. */
    static int run(ProcessBuilder pb, Session session) throws IOException, InterruptedException {
        Process p = pb.redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        Thread err = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), session.err()));
        pump(p.getInputStream(), session.out());
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        } finally {
            err.join();
            session.out().flush();
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            // the child closed its end
        }
    }
}
