package kv.server.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import kv.raft.ProposalDroppedException;
import kv.server.node.NoLeaderException;
import kv.server.node.NodeStoppedException;

/**
 * Turns whatever a request failed with into the status an etcd client expects: etcd's errors by their
 * message (whatever layer raised them), a stopped member as "server stopped", and anything
 * unexpected as an internal error that is logged (the client never sees a stack trace).
 */
public final class Errors {
    private static final System.Logger LOG = System.getLogger(Errors.class.getName());

    private Errors() {}

    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        var known = EtcdError.byMessage(e.getMessage());
        if (known.isPresent()) {
            return known.get().asException();
        }
        if (e instanceof NodeStoppedException) {
            return EtcdError.STOPPED.asException();
        }
        if (e instanceof NoLeaderException || e instanceof ProposalDroppedException) {
            return EtcdError.NO_LEADER.asException();
        }
        if (e instanceof java.util.concurrent.CancellationException) {
            return Status.CANCELLED.withDescription("context canceled").asRuntimeException();
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        LOG.log(Level.ERROR, "request failed unexpectedly", e);
        return Status.INTERNAL.withDescription("etcdserver: " + e).asRuntimeException();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
