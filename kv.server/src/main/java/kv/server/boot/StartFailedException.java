package kv.server.boot;

/** kvd could not start; the message says why in one line (the assembly's report is the cause). */
public final class StartFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
