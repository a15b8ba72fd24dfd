package kv.peer.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import kv.peer.internal.peerpb.PeerGrpc;

/**
 * Admits only calls from the same cluster and meant for this member, as etcd's rafthttp checks
 * {@code X-Etcd-Cluster-ID} and the addressed member. The Members call of a member that does not
 * know the cluster id yet (zero) is admitted. Stateless.
 */
final class ServerGate implements ServerInterceptor {
    private static final System.Logger LOG = System.getLogger(ServerGate.class.getName());

    private final long self;
    private final long clusterId;

    ServerGate(long self, long clusterId) {
        this.self = self;
        this.clusterId = clusterId;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String refusal = refusal(call.getMethodDescriptor().getFullMethodName(), headers);
        if (refusal == null) {
            return next.startCall(call, headers);
        }
        LOG.log(Level.WARNING, () -> refusal + " (call from member " + headers.get(PeerHeaders.FROM) + ")");
        call.close(Status.FAILED_PRECONDITION.withDescription(refusal), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private String refusal(String method, Metadata headers) {
        boolean members = method.equals(PeerGrpc.getMembersMethod().getFullMethodName());
        OptionalLong cluster = PeerHeaders.id(headers, PeerHeaders.CLUSTER);
        long theirs = cluster.orElse(0);
        if (theirs != clusterId && !(members && theirs == 0)) {
            return "peer: cluster id mismatch (local " + PeerHeaders.hex(clusterId) + ", remote "
                    + (cluster.isPresent() ? PeerHeaders.hex(theirs) : "missing") + ")";
        }
        OptionalLong to = PeerHeaders.id(headers, PeerHeaders.TO);
        if (to.isPresent() && to.getAsLong() != self) {
            return "peer: member id mismatch (this member is " + PeerHeaders.hex(self) + ", call for member "
                    + PeerHeaders.hex(to.getAsLong()) + ")";
        }
        if (to.isEmpty() && !members) {
            return "peer: call without the addressed member id";
        }
        return null;
    }
}
