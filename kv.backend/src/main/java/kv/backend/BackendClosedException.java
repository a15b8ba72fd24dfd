package kv.backend;

/** The backend (or the transaction's backend) was closed. */
public class BackendClosedException extends BackendException {
    private static final long serialVersionUID = 1L;

    public BackendClosedException(String message) {
        super(message);
    }

    public BackendClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
