package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.ClusterGrpc;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline restore end to end: {@code kvctl snapshot save} from a running kvd, {@code kvctl snapshot
 * restore} into a new data directory on another engine, and a kvd started there serves the saved keys
 * at the saved revision, lists the restored member, and takes new writes.
 */
class SnapshotRestoreKvdTest {
    @Test
    void savedSnapshotRestoresIntoAMemberThatServesIt(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("backup.db");
        long savedRevision;
        java.nio.file.Files.createDirectories(dir.resolve("source"));
        try (TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir.resolve("source"))) {
            ManagedChannel ch = channel(kvd);
            var kv = KVGrpc.newBlockingStub(ch);
            for (int i = 0; i < 100; i++) {
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("r/" + i)).setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
            savedRevision = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("r/0")).build()).getHeader().getRevision();
            kvctl("--endpoints", kvd.endpoint(), "snapshot", "save", snap.toString());
            ch.shutdownNow();
        }
        Path target = java.nio.file.Files.createDirectories(dir.resolve("restored"));
        kvctl("snapshot", "restore", snap.toString(), "--data-dir", target.resolve("kvd-data").toString(), "--name", "default",
                "--initial-cluster", "default=http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                "--backend", "rocksdb");
        try (TestServer kvd = TestServer.start(TestServer.Kind.KVD, target, "--backend", "rocksdb")) {
            ManagedChannel ch = channel(kvd);
            var kv = KVGrpc.newBlockingStub(ch);
            var all = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("r/")).setRangeEnd(ByteString.copyFromUtf8("r0")).build());
            assertEquals(100, all.getCount(), "keys restored");
            assertEquals(savedRevision, all.getHeader().getRevision(), "revision restored");
            var members = ClusterGrpc.newBlockingStub(ch).memberList(MemberListRequest.getDefaultInstance()).getMembersList();
            assertEquals(1, members.size(), "one member: " + members);
            assertEquals("default", members.getFirst().getName());
            long rev = kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("after")).setValue(ByteString.copyFromUtf8("x")).build())
                    .getHeader().getRevision();
            assertEquals(savedRevision + 1, rev, "the restored member goes on from the saved revision");
            ch.shutdownNow();
        }
    }

    private static void kvctl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(TestServer.kvRoot().resolve("bin/kvctl").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kvctl " + String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), "kvctl " + String.join(" ", args) + ": " + out);
    }

    private static ManagedChannel channel(TestServer s) {
        return NettyChannelBuilder.forAddress("127.0.0.1", s.clientPort()).usePlaintext().build();
    }
}
