package kv.cli;

/**
 * An expected failure of a command: {@link Main} prints {@code "Error: " + getMessage()} on standard
 * error (as etcdctl does) and exits with {@link #exitCode()}. Never carries a stack trace to the user.
 */
final class CliException extends RuntimeException {
    private final ExitCode exitCode;

    CliException(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    ExitCode exitCode() {
        return exitCode;
    }

    /** Exits with {@code exitCode} and no further line: what was to say is already on standard error. */
    static CliException silent(ExitCode exitCode) {
        return new CliException(exitCode, null);
    }

    static CliException badArgs(String message) {
        return new CliException(ExitCode.BAD_ARGS, message);
    }
}
