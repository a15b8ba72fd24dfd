package kv.server.boot;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Services started in order and stopped in reverse (Gerrit's shape): each step registers how to undo
 * itself once it has succeeded, so a start-up that fails half-way releases exactly what it took.
 * Not thread-safe; {@link #close} is idempotent.
 */
public final class Lifecycle implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());
    private final Deque<Step> started = new ArrayDeque<>();

    private record Step(String name, AutoCloseable stop) {}

    /** Records that {@code name} is up and is stopped by {@code stop}. Returns {@code value}. */
    public <T> T started(String name, T value, AutoCloseable stop) {
        started.push(new Step(name, stop));
        return value;
    }

    /** Stops everything started, last first; a failing stop is logged and the rest still stop. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Step s = started.pop();
            try {
                s.stop().close();
                LOG.log(Level.DEBUG, "stopped {0}", s.name());
            } catch (Exception e) {
                LOG.log(Level.ERROR, "stopping " + s.name() + " failed", e);
            }
        }
    }
}
