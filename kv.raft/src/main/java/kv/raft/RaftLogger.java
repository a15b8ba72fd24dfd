package kv.raft;

import java.lang.System.Logger.Level;

/**
 * Where {@link Raft} writes its narrative ("1 became leader at term 2"). The default goes to
 * {@link System.Logger}; interaction tests capture it into their golden output.
 */
interface RaftLogger {
    void log(Level level, String message);

    /** Whether a message at {@code level} would be kept: callers skip formatting when not (hot paths). */
    default boolean isLoggable(Level level) {
        return true;
    }

    static RaftLogger system() {
        return of(System.getLogger("kv.raft"));
    }

    static RaftLogger of(System.Logger logger) {
        return new RaftLogger() {
            @Override
            public void log(Level level, String message) {
                if (logger.isLoggable(level)) {
                    logger.log(level, message);
                }
            }

            @Override
            public boolean isLoggable(Level level) {
                return logger.isLoggable(level);
            }
        };
    }
}
