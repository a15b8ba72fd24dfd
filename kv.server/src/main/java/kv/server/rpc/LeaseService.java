package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.LeaseKeepAliveRequest;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesRequest;
import kv.api.etcdserverpb.LeaseLeasesResponse;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseStatus;
import kv.api.etcdserverpb.LeaseTimeToLiveRequest;
import kv.api.etcdserverpb.LeaseTimeToLiveResponse;
import kv.mvcc.MvccError;
import kv.mvcc.MvccException;
import kv.mvcc.lease.Checkpoint;
import kv.mvcc.lease.LeaseInfo;
import kv.mvcc.lease.Renewal;
import kv.server.core.Member;

/**
 * etcd's Lease service. Grant and revoke go through raft; keep-alive renews on the leader's lessor
 * (the only one that decides expiry) after a read barrier, so a renewal is never served by a member
 * that lost leadership; time-to-live and the list are read from the local lessor after a barrier.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final Member member;

    public LeaseService(Member member) {
        this.member = member;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest r, StreamObserver<LeaseGrantResponse> out) {
        Calls.answer(out, () -> member.leaseGrant(r));
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
        Calls.answer(out, () -> member.leaseRevoke(r));
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
        Calls.answer(out, () -> member.node().readBarrier().thenApply(x -> {
            LeaseInfo l;
            try {
                l = member.store().lessor().timeToLive(r.getID(), r.getKeys());
            } catch (MvccException e) {
                if (e.error() != MvccError.LEASE_NOT_FOUND) {
                    throw e;
                }
                // etcd answers an unknown lease with TTL -1, not an error
                return LeaseTimeToLiveResponse.newBuilder().setHeader(header()).setID(r.getID()).setTTL(-1).build();
            }
            LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setHeader(header())
                    .setID(l.id()).setTTL(l.ttl()).setGrantedTTL(l.grantedTtl());
            l.keys().forEach(k -> b.addKeys(com.google.protobuf.ByteString.copyFrom(k)));
            return b.build();
        }));
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest r, StreamObserver<LeaseLeasesResponse> out) {
        Calls.answer(out, () -> member.node().readBarrier().thenApply(x -> {
            LeaseLeasesResponse.Builder b = LeaseLeasesResponse.newBuilder().setHeader(header());
            member.store().lessor().leases().forEach(l -> b.addLeases(LeaseStatus.newBuilder().setID(l.id())));
            return b.build();
        }));
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveRequest r) {
                renew(r.getID()).whenComplete((res, err) -> {
                    synchronized (out) {
                        if (err != null) {
                            out.onError(Errors.toStatus(err));
                        } else {
                            out.onNext(res);
                        }
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                // the client went away: nothing to clean up, renewals are stateless
            }

            @Override
            public void onCompleted() {
                synchronized (out) {
                    out.onCompleted();
                }
            }
        };
    }

    private CompletableFuture<LeaseKeepAliveResponse> renew(long id) {
        return member.node().readBarrier().thenCompose(x -> {
            Renewal renewal;
            try {
                renewal = member.store().lessor().renew(id);
            } catch (MvccException e) {
                if (e.error() == MvccError.LEASE_NOT_FOUND) {
                    // etcd answers a keep-alive for an unknown or expired lease with TTL 0
                    return CompletableFuture.completedFuture(LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(id).setTTL(0).build());
                }
                throw e;
            }
            LeaseKeepAliveResponse res = LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(id).setTTL(renewal.ttl()).build();
            if (renewal.clearCheckpoint()) {
                return member.leaseCheckpoint(List.of(new Checkpoint(id, 0))).thenApply(c -> res);
            }
            return CompletableFuture.completedFuture(res);
        });
    }

    private kv.api.etcdserverpb.ResponseHeader header() {
        return member.header(member.store().currentRevision());
    }
}
