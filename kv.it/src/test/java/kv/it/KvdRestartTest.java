package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kvd restarts: from raft snapshots taken every --snapshot-count entries, and after a SIGTERM under load. */
class KvdRestartTest {
    private static final String BACKEND = System.getProperty("kv.it.backend", "jbolt");

    @Test
    void restartsFromItsRaftSnapshotsWithEveryWrite(@TempDir Path dir) throws Exception {
        TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir, "--backend", BACKEND, "--snapshot-count", "50");
        try {
            ManagedChannel ch = channel(kvd);
            var kv = KVGrpc.newBlockingStub(ch);
            for (int i = 0; i < 300; i++) {
                kv.put(PutRequest.newBuilder().setKey(key(i)).setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
            ch.shutdownNow();
        } finally {
            kvd.close();
        }
        try (Stream<Path> snaps = Files.list(kvd.dataDir().resolve("member/snap"))) {
            assertTrue(snaps.anyMatch(p -> p.toString().endsWith(".snap")), "no raft snapshot was saved after 300 writes with --snapshot-count 50");
        }
        TestServer again = TestServer.start(TestServer.Kind.KVD, dir, "--backend", BACKEND, "--snapshot-count", "50");
        try {
            ManagedChannel ch = channel(again);
            var r = KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("snap/"))
                    .setRangeEnd(ByteString.copyFromUtf8("snap0")).build());
            assertEquals(300, r.getCount());
            KVGrpc.newBlockingStub(ch).put(PutRequest.newBuilder().setKey(key(300)).setValue(ByteString.copyFromUtf8("after")).build());
            ch.shutdownNow();
        } finally {
            again.close();
        }
    }

    @Test
    void sigtermUnderLoadLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
        TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir, "--backend", BACKEND);
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicLong next = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ManagedChannel ch = channel(kvd);
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            for (int w = 0; w < 4; w++) {
                writers.execute(() -> {
                    var kv = KVGrpc.newBlockingStub(ch);
                    while (!stop.get()) {
                        String k = "term/" + next.incrementAndGet();
                        try {
                            kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))
                                    .setValue(ByteString.copyFromUtf8(k)).build());
                            acked.put(k, k);
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
            }
            // let the load get going (a loaded machine starts slowly), then stop kvd in the middle of it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acked.size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            kvd.process().destroy(); // SIGTERM
            assertTrue(kvd.process().waitFor(30, TimeUnit.SECONDS), "kvd did not stop within 30 s of SIGTERM");
            stop.set(true);
        } finally {
            ch.shutdownNow();
        }
        TestServer again = TestServer.start(TestServer.Kind.KVD, dir, "--backend", BACKEND);
        try {
            ManagedChannel c2 = channel(again);
            var r = KVGrpc.newBlockingStub(c2).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("term/"))
                    .setRangeEnd(ByteString.copyFromUtf8("term0")).build());
            Map<String, String> present = new ConcurrentHashMap<>();
            r.getKvsList().forEach(kv -> present.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
            acked.forEach((k, v) -> assertEquals(v, present.get(k), "acknowledged put of " + k + " lost by a SIGTERM"));
            assertTrue(acked.size() > 10, "the load put too little to mean anything: " + acked.size());
            c2.shutdownNow();
        } finally {
            again.close();
        }
    }

    private static ManagedChannel channel(TestServer s) {
        return NettyChannelBuilder.forAddress("127.0.0.1", s.clientPort()).usePlaintext().build();
    }

    private static ByteString key(int i) {
        return ByteString.copyFromUtf8(String.format("snap/%05d", i));
    }
}
