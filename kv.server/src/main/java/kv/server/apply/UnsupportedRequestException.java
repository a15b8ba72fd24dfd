package kv.server.apply;

/** A committed request of a kind this member cannot apply; the client gets "etcdserver: not capable". */
final class UnsupportedRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedRequestException(String kind) {
        super("etcdserver: not capable (" + kind + ")");
    }
}
