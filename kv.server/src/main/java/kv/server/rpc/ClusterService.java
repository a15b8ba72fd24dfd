package kv.server.rpc;

import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.admin.cluster.MemberIds;
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
import kv.admin.clusterpb.Member;
import kv.raft.Progress;
import kv.raft.StateRole;
import kv.raft.Status;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeType;
import kv.server.cluster.ClusterMembers;

/**
 * etcd's Cluster service: the member list as applied here, and membership changes proposed as raft
 * conf changes carrying the member record, answered once applied on this member. The checks etcd
 * makes before proposing (URLs in use, unknown or removed ids, one learner at most, enough started
 * members left after a removal, a learner in sync before promotion) answer with etcd's errors.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final kv.server.core.Member member;
    private final ClusterMembers members;

    public ClusterService(kv.server.core.Member member, ClusterMembers members) {
        this.member = member;
        this.members = members;
    }

    @Override
    public void memberList(MemberListRequest r, StreamObserver<MemberListResponse> out) {
        Calls.answer(out, () -> {
            CompletableFuture<Long> ready = r.getLinearizable() ? member.node().readBarrier() : CompletableFuture.completedFuture(0L);
            return ready.thenApply(x -> MemberListResponse.newBuilder().setHeader(header()).addAllMembers(wire(members.list())).build());
        });
    }

    @Override
    public void memberAdd(MemberAddRequest r, StreamObserver<MemberAddResponse> out) {
        Calls.answer(out, () -> {
            member.checkAdmin();
            List<String> urls = validUrls(r.getPeerURLsList());
            if (members.peerUrlsTaken(urls, 0)) {
                throw EtcdError.PEER_URL_EXIST.asException();
            }
            if (r.getIsLearner() && members.list().stream().anyMatch(Member::getIsLearner)) {
                throw EtcdError.TOO_MANY_LEARNERS.asException();
            }
            // as etcd: a new member's id mixes its URLs with the time, so a re-added URL gets a new id
            long id = MemberIds.memberId(urls.stream().map(URI::create).toList(), Long.toString(Instant.now().getEpochSecond()));
            if (members.get(id).isPresent() || members.isRemoved(id)) {
                throw EtcdError.MEMBER_EXIST.asException();
            }
            Member record = Member.newBuilder().setId(id).addAllPeerUrls(urls).setIsLearner(r.getIsLearner()).build();
            ConfChangeType type = r.getIsLearner() ? ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE : ConfChangeType.CONF_CHANGE_ADD_NODE;
            return member.proposeConfChange(change(type, id), record).thenApply(list -> MemberAddResponse.newBuilder()
                    .setHeader(header()).setMember(wire(record)).addAllMembers(wire(list)).build());
        });
    }

    @Override
    public void memberRemove(MemberRemoveRequest r, StreamObserver<MemberRemoveResponse> out) {
        Calls.answer(out, () -> {
            member.checkAdmin();
            Member m = existing(r.getID());
            if (!m.getIsLearner() && !enoughStartedAfterRemoving(m.getId())) {
                throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.asException();
            }
            return member.proposeConfChange(change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, m.getId()), null)
                    .thenApply(list -> MemberRemoveResponse.newBuilder().setHeader(header()).addAllMembers(wire(list)).build());
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest r, StreamObserver<MemberUpdateResponse> out) {
        Calls.answer(out, () -> {
            member.checkAdmin();
            Member m = existing(r.getID());
            List<String> urls = validUrls(r.getPeerURLsList());
            if (members.peerUrlsTaken(urls, m.getId())) {
                throw EtcdError.PEER_URL_EXIST.asException();
            }
            Member record = m.toBuilder().clearPeerUrls().addAllPeerUrls(urls).build();
            return member.proposeConfChange(change(ConfChangeType.CONF_CHANGE_UPDATE_NODE, m.getId()), record)
                    .thenApply(list -> MemberUpdateResponse.newBuilder().setHeader(header()).addAllMembers(wire(list)).build());
        });
    }

    @Override
    public void memberPromote(MemberPromoteRequest r, StreamObserver<MemberPromoteResponse> out) {
        Calls.answer(out, () -> {
            member.checkAdmin();
            Member m = existing(r.getID());
            if (!m.getIsLearner()) {
                throw EtcdError.MEMBER_NOT_LEARNER.asException();
            }
            if (!learnerInSync(m.getId())) {
                throw EtcdError.LEARNER_NOT_READY.asException();
            }
            return member.proposeConfChange(change(ConfChangeType.CONF_CHANGE_ADD_NODE, m.getId()), m.toBuilder().setIsLearner(false).build())
                    .thenApply(list -> MemberPromoteResponse.newBuilder().setHeader(header()).addAllMembers(wire(list)).build());
        });
    }

    private Member existing(long id) {
        if (members.isRemoved(id)) {
            throw EtcdError.ID_REMOVED.asException();
        }
        return members.get(id).orElseThrow(EtcdError.MEMBER_NOT_FOUND::asException);
    }

    /** etcd's strict reconfiguration check: the voters left must still have a quorum of started members. */
    private boolean enoughStartedAfterRemoving(long id) {
        List<Member> voters = members.list().stream().filter(m -> !m.getIsLearner() && m.getId() != id).toList();
        long started = voters.stream().filter(m -> !m.getName().isEmpty()).count();
        return started >= voters.size() / 2 + 1;
    }

    /** On the leader: the learner's log is within 10% of the leader's (etcd's readiness rule). */
    private boolean learnerInSync(long id) {
        Status s = member.node().status();
        if (s.role() != StateRole.LEADER) {
            // only the leader tracks the learner's log; etcd forwards the promotion to it, kv lets a
            // follower propose it unchecked (raft applies it like any conf change)
            return true;
        }
        Progress p = s.progress().get(id);
        long leaderMatch = s.progress().getOrDefault(s.id(), p).match();
        return p != null && p.match() >= leaderMatch * 9 / 10;
    }

    private static List<String> validUrls(List<String> given) {
        if (given.isEmpty()) {
            throw EtcdError.MEMBER_BAD_URLS.asException();
        }
        for (String u : given) {
            try {
                URI uri = new URI(u);
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                        || uri.getHost() == null || uri.getPort() < 0) {
                    throw EtcdError.MEMBER_BAD_URLS.asException();
                }
            } catch (URISyntaxException e) {
                throw EtcdError.MEMBER_BAD_URLS.asException();
            }
        }
        return given.stream().sorted().toList();
    }

    private static ConfChangeSingle change(ConfChangeType type, long id) {
        return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
    }

    private kv.api.etcdserverpb.ResponseHeader header() {
        return member.header(member.store().currentRevision());
    }

    static kv.api.etcdserverpb.Member wire(Member m) {
        return kv.api.etcdserverpb.Member.newBuilder().setID(m.getId()).setName(m.getName()).addAllPeerURLs(m.getPeerUrlsList())
                .addAllClientURLs(m.getClientUrlsList()).setIsLearner(m.getIsLearner()).build();
    }

    static List<kv.api.etcdserverpb.Member> wire(List<Member> ms) {
        return ms.stream().map(ClusterService::wire).toList();
    }
}
