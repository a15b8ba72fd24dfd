package kv.mvcc;

/**
 * An expected failure of a request to the store (a compacted revision, a missing lease, a malformed
 * txn). The message is etcd's; {@link #error()} says which one. Nothing was changed by the request
 * that threw it.
 */
public final class MvccException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final MvccError error;

    public MvccException(MvccError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** Which failure this is. */
    public MvccError error() {
        return error;
    }
}
