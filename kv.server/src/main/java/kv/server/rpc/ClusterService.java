package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.api.etcdserverpb.ClusterGrpc;
import kv.api.etcdserverpb.MemberAddRequest;
import kv.api.etcdserverpb.MemberAddResponse;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.MemberPromoteRequest;
import kv.api.etcdserverpb.MemberPromoteResponse;
import kv.api.etcdserverpb.MemberRemoveRequest;
import kv.api.etcdserverpb.MemberRemoveResponse;
import kv.api.etcdserverpb.MemberUpdateRequest;
import kv.api.etcdserverpb.MemberUpdateResponse;
import kv.server.core.Member;

/**
 * etcd's Cluster service for a single-member cluster: the member list is this member; changes to
 * membership need the peer transport and are refused with etcd's "not capable" until it exists.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final Member member;
    private final String name;
    private final List<URI> peerUrls;
    private final List<URI> clientUrls;

    public ClusterService(Member member, String name, List<URI> peerUrls, List<URI> clientUrls) {
        this.member = member;
        this.name = name;
        this.peerUrls = List.copyOf(peerUrls);
        this.clientUrls = List.copyOf(clientUrls);
    }

    @Override
    public void memberList(MemberListRequest r, StreamObserver<MemberListResponse> out) {
        Calls.answer(out, () -> {
            var m = kv.api.etcdserverpb.Member.newBuilder().setID(member.memberId()).setName(name);
            peerUrls.forEach(u -> m.addPeerURLs(u.toString()));
            clientUrls.forEach(u -> m.addClientURLs(u.toString()));
            return CompletableFuture.completedFuture(MemberListResponse.newBuilder()
                    .setHeader(member.header(member.store().currentRevision())).addMembers(m).build());
        });
    }

    @Override
    public void memberAdd(MemberAddRequest r, StreamObserver<MemberAddResponse> out) {
        out.onError(EtcdError.NOT_CAPABLE.asException());
    }

    @Override
    public void memberRemove(MemberRemoveRequest r, StreamObserver<MemberRemoveResponse> out) {
        out.onError(r.getID() == member.memberId() ? EtcdError.NOT_CAPABLE.asException() : EtcdError.MEMBER_NOT_FOUND.asException());
    }

    @Override
    public void memberUpdate(MemberUpdateRequest r, StreamObserver<MemberUpdateResponse> out) {
        out.onError(r.getID() == member.memberId() ? EtcdError.NOT_CAPABLE.asException() : EtcdError.MEMBER_NOT_FOUND.asException());
    }

    @Override
    public void memberPromote(MemberPromoteRequest r, StreamObserver<MemberPromoteResponse> out) {
        out.onError(r.getID() == member.memberId() ? EtcdError.MEMBER_NOT_LEARNER.asException() : EtcdError.MEMBER_NOT_FOUND.asException());
    }
}
