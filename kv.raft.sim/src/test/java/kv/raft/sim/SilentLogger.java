package kv.raft.sim;

import java.util.ResourceBundle;

/** Discards raft's narrative: runs are replayed from their seed when the story is needed. */
final class SilentLogger implements System.Logger {
    private final String name;

    SilentLogger(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return false;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    }
}
