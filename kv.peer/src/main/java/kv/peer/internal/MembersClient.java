package kv.peer.internal;

import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kv.peer.ClusterView;
import kv.peer.PeerConfig;
import kv.peer.internal.peerpb.MembersRequest;
import kv.peer.internal.peerpb.PeerGrpc;

/** The Members call on a channel. Stateless. */
public final class MembersClient {
    private MembersClient() {}

    /** The membership as the member behind {@code channel} sees it; throws gRPC's exception on failure. */
    public static ClusterView fetch(Channel channel, PeerConfig config, Duration timeout) {
        var stub = PeerGrpc.newBlockingStub(channel)
                .withInterceptors(PeerHeaders.attach(config.memberId(), 0, config.clusterId()))
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return MembersCodec.decode(stub.members(MembersRequest.getDefaultInstance()));
    }

    /** The HashKV of the member behind {@code channel} at {@code revision}; throws gRPC's exception on failure. */
    public static kv.peer.PeerHash hashKv(Channel channel, PeerConfig config, long to, long revision, Duration timeout) {
        var stub = PeerGrpc.newBlockingStub(channel)
                .withInterceptors(PeerHeaders.attach(config.memberId(), to, config.clusterId()))
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        var r = stub.hashKv(kv.peer.internal.peerpb.HashKvRequest.newBuilder().setRevision(revision).build());
        return new kv.peer.PeerHash(r.getHash(), r.getRevision(), r.getCompactRevision());
    }
}
