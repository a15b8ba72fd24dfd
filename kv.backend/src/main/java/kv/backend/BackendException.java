package kv.backend;

/** A storage engine failed: an I/O error, or a broken invariant. The message names the file and what went wrong. */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
