package kv.backend;

/** A value longer than Backend.MAX_VALUE_SIZE. */
public class ValueTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ValueTooLargeException(String message) {
        super(message);
    }

    public ValueTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
