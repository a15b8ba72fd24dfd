package kv.backend;

/** The transaction was already committed or closed. */
public class TransactionClosedException extends BackendException {
    private static final long serialVersionUID = 1L;

    public TransactionClosedException(String message) {
        super(message);
    }

    public TransactionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
