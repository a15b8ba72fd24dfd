package kv.server.node;

/** Raft has no leader, so neither a proposal nor a linearizable read can be served now. */
public final class NoLeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoLeaderException() {
        super("etcdserver: no leader");
    }
}
