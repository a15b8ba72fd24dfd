package kv.server.boot;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kv.admin.cluster.MemberIds;
import kv.admin.clusterpb.Member;
import kv.peer.ClusterView;
import kv.peer.PeerClient;
import kv.peer.PeerConfig;
import kv.peer.PeerMember;
import kv.peer.PeerTls;
import kv.server.config.ClusterState;
import kv.server.config.ServerConfig;
import kv.server.serverpb.ConfChangeContext;

/**
 * Decides who a member with an empty data directory is, as etcd does from its flags: a member of a
 * new cluster takes its id and its peers' from {@code --initial-cluster} (derived from the peer URLs
 * and the cluster token, so every member computes the same ids) and bootstraps the initial voters;
 * a member joining an existing cluster asks a running member for the member list and finds itself
 * there by its peer URLs (it was added with {@code member add}). A member whose id already ran in
 * the cluster must not start again with empty data: it would vote and acknowledge without the log
 * it had promised to keep.
 */
final class MemberBootstrap {
    /** Who this member is, and what raft starts with when its WAL is new. */
    record Plan(long memberId, long clusterId, List<Long> voters, List<ByteString> contexts, List<Member> known) {}

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private MemberBootstrap() {}

    static Plan plan(ServerConfig config, PeerTls tls) {
        String token = config.initialClusterToken();
        long self = MemberIds.memberId(config.initialAdvertisePeerUrls(), token);
        if (config.initialClusterState() == ClusterState.EXISTING) {
            return join(config, tls);
        }
        List<URI> mine = config.initialCluster().get(config.name());
        if (!sameUrls(mine, config.initialAdvertisePeerUrls())) {
            throw new IllegalArgumentException("--initial-cluster has " + config.name() + "=" + join(mine)
                    + " but missing from --initial-advertise-peer-urls=" + join(config.initialAdvertisePeerUrls()));
        }
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, List<URI>> e : config.initialCluster().entrySet()) {
            long id = MemberIds.memberId(e.getValue(), token);
            members.add(Member.newBuilder().setId(id).setName(e.getKey())
                    .addAllPeerUrls(e.getValue().stream().map(URI::toString).sorted().toList()).build());
        }
        members.sort((a, b) -> Long.compareUnsigned(a.getId(), b.getId()));
        List<Long> ids = members.stream().map(Member::getId).toList();
        long clusterId = MemberIds.clusterId(ids);
        if (members.size() > 1) {
            refuseIfAlreadyBootstrapped(config, tls, self, clusterId);
        }
        List<ByteString> contexts = members.stream()
                .map(m -> ConfChangeContext.newBuilder().setMember(m).build().toByteString()).toList();
        return new Plan(self, clusterId, ids, contexts, members);
    }

    /** --initial-cluster-state existing: the running cluster says who we are. */
    private static Plan join(ServerConfig config, PeerTls tls) {
        List<URI> others = otherPeers(config);
        if (others.isEmpty()) {
            throw new IllegalArgumentException("--initial-cluster-state existing needs the running members in --initial-cluster");
        }
        ClusterView view;
        try {
            view = PeerClient.fetchMembers(others, PeerConfig.tlsOnly(tls, ASK_TIMEOUT), ASK_TIMEOUT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot join the existing cluster: " + e.getMessage(), e);
        }
        List<String> mine = config.initialAdvertisePeerUrls().stream().map(URI::toString).sorted().toList();
        PeerMember me = view.members().stream().filter(m -> m.peerUrls().stream().map(URI::toString).sorted().toList().equals(mine))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("cluster " + Long.toHexString(view.clusterId())
                        + " has no member with peer URLs " + mine + "; add it first with 'member add'"));
        if (!me.clientUrls().isEmpty()) {
            throw alreadyBootstrapped(me.id());
        }
        List<Member> known = view.members().stream().map(MemberBootstrap::record).toList();
        return new Plan(me.id(), view.clusterId(), List.of(), List.of(), known);
    }

    /** A new cluster's member restarting with an empty data dir while the others run: refuse, as etcd. */
    private static void refuseIfAlreadyBootstrapped(ServerConfig config, PeerTls tls, long self, long clusterId) {
        Optional<ClusterView> view;
        try {
            view = Optional.of(PeerClient.fetchMembers(otherPeers(config), PeerConfig.tlsOnly(tls, ASK_TIMEOUT), ASK_TIMEOUT));
        } catch (java.io.IOException | RuntimeException nobodyAnswers) {
            return; // the others are starting too: a new cluster
        }
        view.filter(v -> v.clusterId() == clusterId).flatMap(v -> v.member(self)).filter(m -> !m.clientUrls().isEmpty())
                .ifPresent(m -> {
                    throw alreadyBootstrapped(self);
                });
    }

    private static IllegalStateException alreadyBootstrapped(long id) {
        return new IllegalStateException("member " + Long.toHexString(id) + " has already been bootstrapped: its data directory is "
                + "empty but the cluster knows it as started (it published its client URLs); remove it ('member remove') and add it again to rejoin empty");
    }

    private static List<URI> otherPeers(ServerConfig config) {
        List<URI> out = new ArrayList<>();
        config.initialCluster().forEach((name, urls) -> {
            if (!name.equals(config.name())) {
                out.addAll(urls);
            }
        });
        return out;
    }

    private static Member record(PeerMember m) {
        return Member.newBuilder().setId(m.id()).setName(m.name()).addAllPeerUrls(m.peerUrls().stream().map(URI::toString).toList())
                .addAllClientUrls(m.clientUrls().stream().map(URI::toString).toList()).setIsLearner(m.isLearner()).build();
    }

    private static boolean sameUrls(List<URI> a, List<URI> b) {
        return a != null && a.stream().map(URI::toString).sorted().toList().equals(b.stream().map(URI::toString).sorted().toList());
    }

    private static String join(List<URI> urls) {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }
}
