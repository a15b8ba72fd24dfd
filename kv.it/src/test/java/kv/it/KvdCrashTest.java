package kv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: a kvd process under concurrent write load is killed with SIGKILL at random moments,
 * again and again on the same data directory; after every restart each put it had acknowledged is
 * there with its value. 5 kills by default, 40 with -Dkv.long=true.
 */
class KvdCrashTest {
    private static final int WRITERS = 8;

    @Test
    void everyAcknowledgedPutSurvivesSigkill(@TempDir Path dir) throws Exception {
        int kills = Boolean.getBoolean("kv.long") ? 40 : 5;
        long seed = Long.getLong("kv.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        String backend = System.getProperty("kv.it.backend", "jbolt");
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicLong next = new AtomicLong();
        long checked = 0;
        for (int round = 0; round < kills; round++) {
            TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir, "--backend", backend);
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", kvd.clientPort()).usePlaintext().build();
            try {
                checked += verify(ch, acked, round, seed);
                AtomicBoolean stop = new AtomicBoolean();
                try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
                    for (int w = 0; w < WRITERS; w++) {
                        writers.execute(() -> write(ch, acked, next, stop));
                    }
                    // a random moment once this round's load is under way (at least a few puts acknowledged)
                    long base = acked.size();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (acked.size() < base + 20 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(random.nextInt(1500));
                    kvd.kill();
                    stop.set(true);
                }
            } finally {
                ch.shutdownNow();
                kvd.kill();
            }
        }
        TestServer kvd = TestServer.start(TestServer.Kind.KVD, dir, "--backend", backend);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", kvd.clientPort()).usePlaintext().build();
        try {
            checked += verify(ch, acked, kills, seed);
        } finally {
            ch.shutdownNow();
            kvd.close();
        }
        System.out.printf("kvd crash test: %d SIGKILLs, %d acknowledged puts, %d checks after restarts, 0 lost (seed %d)%n",
                kills, acked.size(), checked, seed);
        assertTrue(acked.size() > kills, "the load put too little to mean anything: " + acked.size());
    }

    private static void write(ManagedChannel ch, Map<String, String> acked, AtomicLong next, AtomicBoolean stop) {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
        while (!stop.get()) {
            long i = next.incrementAndGet();
            String key = "crash/" + i;
            String value = "v" + i + "-" + "x".repeat((int) (i % 200));
            try {
                kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build());
                acked.put(key, value);
            } catch (RuntimeException e) {
                return; // the server died: this put was not acknowledged, so it may or may not be there
            }
        }
    }

    private static long verify(ManagedChannel ch, Map<String, String> acked, int round, long seed) {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
        RangeResponse all = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("crash/"))
                .setRangeEnd(ByteString.copyFromUtf8("crash0")).build());
        Map<String, String> present = new ConcurrentHashMap<>();
        all.getKvsList().forEach(k -> present.put(k.getKey().toString(StandardCharsets.UTF_8), k.getValue().toString(StandardCharsets.UTF_8)));
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), present.get(e.getKey()),
                    "after restart " + round + " (seed " + seed + "): acknowledged put of " + e.getKey() + " is lost or wrong");
        }
        return acked.size();
    }
}
