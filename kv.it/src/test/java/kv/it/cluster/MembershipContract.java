package kv.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.ClusterGrpc;
import kv.api.etcdserverpb.Member;
import kv.api.etcdserverpb.MemberAddRequest;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.MemberPromoteRequest;
import kv.api.etcdserverpb.MemberRemoveRequest;
import kv.testkit.TestServer;
import kv.testkit.TestServer.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership on a running 3-member cluster: a learner is added and started with
 * {@code --initial-cluster-state existing}, catches up, is promoted to a voter, then an original
 * member is removed; the member list follows each step and the cluster keeps accepting writes,
 * also through the new member.
 */
abstract class MembershipContract extends ClusterContract {
    @Test
    void addLearnerPromoteAndRemove(@TempDir Path dir) throws Exception {
        withCluster(dir, 3, 10_000, cluster -> {
            for (int k = 0; k < 20; k++) {
                put(cluster.channel(k % 3), "mb/" + k, "v" + k, Duration.ofSeconds(10));
            }
            int leader = cluster.awaitLeader(cluster.all(), Duration.ofSeconds(30));
            int clientPort = TestServer.freePort();
            String peerUrl = "http://127.0.0.1:" + TestServer.freePort();
            Member added = addLearner(cluster, peerUrl);
            assertTrue(added.getIsLearner(), "added as a learner: " + added);
            Process m4 = start(cluster, "m4", clientPort, peerUrl);
            ManagedChannel ch4 = NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
            try {
                awaitKeys(ch4, 20);
                promote(cluster, added.getID());
                List<Member> members = list(cluster.channel(leader));
                assertEquals(4, members.size(), "members after the promotion: " + members);
                assertFalse(members.stream().anyMatch(Member::getIsLearner), "nobody is a learner any more: " + members);
                assertEquals(List.of("http://127.0.0.1:" + clientPort),
                        members.stream().filter(m -> m.getID() == added.getID()).findFirst().orElseThrow().getClientURLsList(),
                        "the new member published its client URL");

                int gone = (leader + 1) % 3;
                long goneId = cluster.status(gone, Duration.ofSeconds(5)).orElseThrow().memberId();
                var admin2 = ClusterGrpc.newBlockingStub(cluster.channel(leader)).withDeadlineAfter(20, TimeUnit.SECONDS);
                List<Member> after = admin2.memberRemove(MemberRemoveRequest.newBuilder().setID(goneId).build()).getMembersList();
                assertEquals(3, after.size(), "members after the removal: " + after);
                assertFalse(after.stream().anyMatch(m -> m.getID() == goneId), "the removed member is gone: " + after);
                put(ch4, "mb/through-new-member", "x", Duration.ofSeconds(20));
                put(cluster.channel(leader), "mb/after-removal", "y", Duration.ofSeconds(20));
                awaitKeys(ch4, 22);
            } finally {
                ch4.shutdownNow();
                m4.destroyForcibly();
                m4.waitFor(10, TimeUnit.SECONDS);
            }
        });
    }

    private static Process start(ClusterRunner cluster, String name, int clientPort, String peerUrl) throws Exception {
        List<String> cmd = new ArrayList<>(cluster.kind() == Kind.ETCD ? List.of("/usr/bin/etcd", "--log-level", "error")
                : List.of(TestServer.kvRoot().resolve("bin/kvd").toString()));
        String client = "http://127.0.0.1:" + clientPort;
        cmd.addAll(List.of("--name", name, "--data-dir", cluster.dir().resolve(name + ".data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", cluster.initialCluster() + "," + name + "=" + peerUrl,
                "--initial-cluster-token", "kv-it-cluster", "--initial-cluster-state", "existing",
                "--heartbeat-interval", Long.toString(ClusterRunner.HEARTBEAT.toMillis()),
                "--election-timeout", Long.toString(ClusterRunner.ELECTION.toMillis())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.dir().resolve(name + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        if (cluster.kind() == Kind.KVD) {
            pb.environment().putIfAbsent("KV_JAVA_OPTS", "-XX:+UseSerialGC -Xms64m -Xmx512m");
        }
        return pb.start();
    }

    /** Serializable reads on the new member (a learner serves those) until it holds {@code n} keys. */
    private static void awaitKeys(ManagedChannel ch, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                long count = range(ch, "mb/", true, Duration.ofSeconds(2)).getCount();
                if (count >= n) {
                    return;
                }
                last = count + " keys";
            } catch (RuntimeException e) {
                last = e.toString();
            }
            ClusterRunner.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the new member did not catch up to " + n + " keys: " + last);
    }

    /** etcd refuses a member add until the leader has been connected to a quorum for a while ("unhealthy cluster"): ask again. */
    private static Member addLearner(ClusterRunner cluster, String peerUrl) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int leader = cluster.awaitLeader(java.util.Set.of(0, 1, 2), Duration.ofSeconds(10));
            try {
                return ClusterGrpc.newBlockingStub(cluster.channel(leader)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(true).build()).getMember();
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline || !String.valueOf(e.getStatus().getDescription()).contains("unhealthy cluster")) {
                    throw e;
                }
                ClusterRunner.sleep(Duration.ofMillis(500));
            }
        }
    }

    /** Promotion is refused until the learner is in sync; ask again until it is accepted. */
    private static void promote(ClusterRunner cluster, long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int leader = cluster.awaitLeader(java.util.Set.of(0, 1, 2), Duration.ofSeconds(10));
            try {
                ClusterGrpc.newBlockingStub(cluster.channel(leader)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .memberPromote(MemberPromoteRequest.newBuilder().setID(id).build());
                return;
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                ClusterRunner.sleep(Duration.ofMillis(300));
            }
        }
    }

    private static List<Member> list(ManagedChannel ch) {
        return ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance())
                .getMembersList();
    }
}
