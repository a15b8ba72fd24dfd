package kv.server.node;

/** The member stopped (shut down, or a fatal error such as a failed fsync); clients get "etcdserver: server stopped". */
public final class NodeStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NodeStoppedException(Throwable cause) {
        super(cause == null ? "etcdserver: server stopped" : "etcdserver: server stopped: " + cause, cause);
    }
}
