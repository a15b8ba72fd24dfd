package kv.cli;

/** kvctl's exit statuses: etcdctl's, value for value, so scripts can test either tool the same way. */
public enum ExitCode {
    SUCCESS(0),
    /** The server or the client library refused the request. */
    ERROR(1),
    /** No connection could be made (or kept) to the cluster. */
    BAD_CONNECTION(2),
    /** Malformed input on standard input (txn, watch -i). */
    INVALID_INPUT(3),
    /** A valid flag with a value kvctl does not support (an output format, a sort order). */
    BAD_FEATURE(4),
    /** Stopped by the server or by a signal (watch canceled, snapshot interrupted). */
    INTERRUPTED(5),
    /** A local file could not be written or read. */
    IO(6),
    /** Wrong arguments for the command. */
    BAD_ARGS(128);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    /** The process exit status. */
    public int status() {
        return status;
    }
}
