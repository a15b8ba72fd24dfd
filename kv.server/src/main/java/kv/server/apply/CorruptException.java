package kv.server.apply;

/** The CORRUPT alarm is raised: changes to keys and leases are refused until it is disarmed. */
public final class CorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptException() {
        super("etcdserver: corrupt cluster", null, false, false);
    }
}
