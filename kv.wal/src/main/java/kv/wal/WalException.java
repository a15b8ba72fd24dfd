package kv.wal;

/**
 * An expected failure of a WAL operation, with an etcd-style message ("wal: ..."): the directory is
 * locked, a file is missing, the snapshot position was never recorded. Subclasses mark the cases a
 * member must treat as fatal.
 */
public class WalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WalException(String message) {
        super(message);
    }

    public WalException(String message, Throwable cause) {
        super(message, cause);
    }
}
