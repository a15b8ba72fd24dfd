package kv.peer.internal;

import java.net.URI;
import java.util.List;
import kv.peer.ClusterView;
import kv.peer.PeerMember;
import kv.peer.internal.peerpb.Member;
import kv.peer.internal.peerpb.MembersResponse;

/** Converts the membership between its API record and the wire. Stateless. */
final class MembersCodec {
    private MembersCodec() {}

    static MembersResponse encode(ClusterView view) {
        MembersResponse.Builder b = MembersResponse.newBuilder().setClusterId(view.clusterId());
        for (PeerMember m : view.members()) {
            b.addMembers(Member.newBuilder().setId(m.id()).setName(m.name()).setIsLearner(m.isLearner())
                    .addAllPeerUrls(m.peerUrls().stream().map(URI::toString).toList())
                    .addAllClientUrls(m.clientUrls().stream().map(URI::toString).toList()));
        }
        return b.build();
    }

    static ClusterView decode(MembersResponse r) {
        List<PeerMember> members = r.getMembersList().stream()
                .map(m -> new PeerMember(m.getId(), m.getName(), uris(m.getPeerUrlsList()), uris(m.getClientUrlsList()), m.getIsLearner()))
                .toList();
        return new ClusterView(r.getClusterId(), members);
    }

    private static List<URI> uris(List<String> urls) {
        return urls.stream().map(URI::create).toList();
    }
}
