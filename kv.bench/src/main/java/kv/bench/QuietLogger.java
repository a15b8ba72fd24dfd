package kv.bench;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A logger that passes warnings and errors to the platform logger and drops the rest: raft logs
 * every election at INFO, which would interleave with JMH's output.
 */
final class QuietLogger implements System.Logger {
    private final System.Logger target;

    QuietLogger(String name) {
        target = System.getLogger(name);
    }

    @Override
    public String getName() {
        return target.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.WARNING.getSeverity() && target.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            target.log(level, bundle, msg, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            target.log(level, bundle, format, params);
        }
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        if (isLoggable(level)) {
            target.log(level, msgSupplier);
        }
    }
}
