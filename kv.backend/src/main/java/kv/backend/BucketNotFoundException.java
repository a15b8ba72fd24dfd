package kv.backend;

/** The named bucket does not exist. */
public class BucketNotFoundException extends BackendException {
    private static final long serialVersionUID = 1L;

    public BucketNotFoundException(String message) {
        super(message);
    }

    public BucketNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
