package kv.server.config;

import java.time.Duration;

/**
 * {@code --auto-compaction-mode} and {@code --auto-compaction-retention}: keep a window of history
 * measured in time ({@link Periodic}) or in revisions ({@link Revision}); {@link Off} keeps all.
 */
public sealed interface AutoCompaction {
    record Off() implements AutoCompaction {}

    /** Compact so that about {@code retention} of history stays. */
    record Periodic(Duration retention) implements AutoCompaction {}

    /** Compact to {@code current - retention} every few minutes. */
    record Revision(long retention) implements AutoCompaction {}

    /** etcd's rules: periodic retention is a duration, or a bare number of hours; 0 turns it off. */
    static AutoCompaction parse(String mode, String retention) {
        String r = retention == null || retention.isBlank() ? "0" : retention.strip();
        return switch (mode) {
            case "periodic" -> {
                Duration d = r.matches("\\d+") ? Duration.ofHours(Long.parseLong(r)) : Durations.parse("auto-compaction-retention", r);
                yield d.isZero() ? new Off() : new Periodic(d);
            }
            case "revision" -> {
                long n;
                try {
                    n = Long.parseLong(r);
                } catch (NumberFormatException e) {
                    throw new ConfigException("invalid auto-compaction-retention \"" + r + "\" for mode revision: must be a revision count");
                }
                if (n < 0) {
                    throw new ConfigException("invalid auto-compaction-retention \"" + r + "\": must not be negative");
                }
                yield n == 0 ? new Off() : new Revision(n);
            }
            default -> throw new ConfigException("unknown auto-compaction-mode \"" + mode + "\" (known: periodic, revision)");
        };
    }
}
