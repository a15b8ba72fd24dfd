package kv.backend;

/** The files are not a valid store: a checksum mismatch, a bad page, a wrong format. Never repaired silently. */
public class BackendCorruptedException extends BackendException {
    private static final long serialVersionUID = 1L;

    public BackendCorruptedException(String message) {
        super(message);
    }

    public BackendCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
