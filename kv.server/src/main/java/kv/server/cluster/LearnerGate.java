package kv.server.cluster;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.StatusRequest;

/**
 * What a learner serves, as etcd 3.4: its status and serializable reads; every other call, and every
 * stream, is refused with "etcdserver: rpc not supported for learner" (it has no vote and may lag, so
 * it must not answer for the cluster). Health checks pass, so operators can watch it catch up.
 */
public final class LearnerGate implements ServerInterceptor {
    private static final Status REFUSED = Status.UNAVAILABLE.withDescription("etcdserver: rpc not supported for learner");
    private final ClusterMembers members;

    public LearnerGate(ClusterMembers members) {
        this.members = members;
    }

    private boolean learner() {
        return members.get(members.self()).map(kv.admin.clusterpb.Member::getIsLearner).orElse(false);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!learner() || call.getMethodDescriptor().getServiceName().equals("grpc.health.v1.Health")) {
            return next.startCall(call, headers);
        }
        if (!call.getMethodDescriptor().getType().clientSendsOneMessage() || !call.getMethodDescriptor().getType().serverSendsOneMessage()) {
            call.close(REFUSED, new Metadata());
            return new ServerCall.Listener<>() {};
        }
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (message instanceof StatusRequest || message instanceof RangeRequest r && r.getSerializable()) {
                    super.onMessage(message);
                } else {
                    refused = true;
                    call.close(REFUSED, new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
