package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.StatusRequest;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster whose members talk over https peer URLs with client-certificate auth
 * (etcd's --peer-cert-file, --peer-key-file, --peer-trusted-ca-file, --peer-client-cert-auth): it
 * elects a leader and replicates a write made on one member to a linearizable read on another.
 */
abstract class PeerTlsContract {
    abstract TestServer.Kind kind();

    @Test
    void membersReplicateOverMutualTls(@TempDir Path dir) throws Exception {
        TlsContract.makeCertificates(dir);
        int[] client = new int[3];
        int[] peer = new int[3];
        for (int i = 0; i < 3; i++) {
            client[i] = TestServer.freePort();
            peer[i] = TestServer.freePort();
        }
        String cluster = String.join(",", List.of("p1=https://127.0.0.1:" + peer[0], "p2=https://127.0.0.1:" + peer[1],
                "p3=https://127.0.0.1:" + peer[2]));
        List<Process> members = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> cmd = new ArrayList<>(kind() == TestServer.Kind.ETCD ? List.of("/usr/bin/etcd", "--log-level", "error")
                        : List.of(TestServer.kvRoot().resolve("bin/kvd").toString()));
                cmd.addAll(List.of("--name", "p" + (i + 1), "--data-dir", dir.resolve("p" + (i + 1)).toString(),
                        "--listen-client-urls", "http://127.0.0.1:" + client[i], "--advertise-client-urls", "http://127.0.0.1:" + client[i],
                        "--listen-peer-urls", "https://127.0.0.1:" + peer[i], "--initial-advertise-peer-urls", "https://127.0.0.1:" + peer[i],
                        "--initial-cluster", cluster, "--initial-cluster-state", "new",
                        "--peer-cert-file", dir.resolve("server.pem").toString(), "--peer-key-file", dir.resolve("server-key.pem").toString(),
                        "--peer-trusted-ca-file", dir.resolve("ca.pem").toString(), "--peer-client-cert-auth"));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("p" + (i + 1) + ".log").toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
                members.add(pb.start());
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", client[i]).usePlaintext().build());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long leader = 0;
            while (leader == 0 && System.nanoTime() < deadline) {
                try {
                    leader = MaintenanceGrpc.newBlockingStub(channels.get(2)).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .status(StatusRequest.getDefaultInstance()).getLeader();
                } catch (RuntimeException notYet) {
                    Thread.sleep(200);
                }
            }
            assertTrue(leader != 0, "no leader over TLS peer links within 90 s:\n" + logs(dir));
            KVGrpc.newBlockingStub(channels.get(1)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls/k")).setValue(ByteString.copyFromUtf8("v")).build());
            var got = KVGrpc.newBlockingStub(channels.get(2)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls/k")).build());
            assertEquals("v", got.getKvs(0).getValue().toStringUtf8());
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            for (Process p : members) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String logs(Path dir) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            sb.append("---- p").append(i).append('\n').append(Files.readString(dir.resolve("p" + i + ".log")));
        }
        return sb.toString();
    }
}
