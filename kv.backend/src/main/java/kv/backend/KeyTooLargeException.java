package kv.backend;

/** A key longer than Backend.MAX_KEY_SIZE. */
public class KeyTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KeyTooLargeException(String message) {
        super(message);
    }

    public KeyTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
