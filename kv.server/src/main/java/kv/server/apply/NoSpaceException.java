package kv.server.apply;

/** The NOSPACE alarm is raised: requests that add data are refused until it is disarmed. */
public final class NoSpaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSpaceException() {
        super("etcdserver: mvcc: database space exceeded", null, false, false);
    }
}
