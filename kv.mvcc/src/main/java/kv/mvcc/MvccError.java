package kv.mvcc;

/**
 * The expected failures of the store, each with the message etcd gives for it. kv.server maps each
 * constant to a gRPC status code and etcd's client-visible message in one table.
 */
public enum MvccError {
    COMPACTED("mvcc: required revision has been compacted"),
    FUTURE_REVISION("mvcc: required revision is a future revision"),
    KEY_NOT_FOUND("etcdserver: key not found"),
    EMPTY_KEY("etcdserver: key is not provided"),
    VALUE_PROVIDED("etcdserver: value is provided"),
    LEASE_PROVIDED("etcdserver: lease is provided"),
    TOO_MANY_OPS("etcdserver: too many operations in txn request"),
    DUPLICATE_KEY("etcdserver: duplicate key given in txn request"),
    INVALID_SORT_OPTION("etcdserver: invalid sort option"),
    LEASE_NOT_FOUND("etcdserver: requested lease not found"),
    LEASE_EXISTS("etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE("etcdserver: too large lease TTL"),
    NOT_PRIMARY("not a primary lessor"),
    DUPLICATE_WATCH_ID("mvcc: duplicate watch ID provided on the WatchStream"),
    WATCHER_NOT_FOUND("mvcc: watcher does not exist"),
    EMPTY_WATCHER_RANGE("mvcc: watcher range is empty");

    private final String message;

    MvccError(String message) {
        this.message = message;
    }

    /** etcd's message for this failure. */
    public String message() {
        return message;
    }

    /** A new exception carrying this error. */
    public MvccException exception() {
        return new MvccException(this);
    }
}
