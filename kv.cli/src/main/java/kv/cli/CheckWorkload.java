package kv.cli;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;

/**
 * The write load of {@code check perf} and {@code check datascale}, as etcdctl generates it: puts of
 * a fixed-size key (a random varint at the start of a zero buffer, after the prefix) and a zero
 * value, taken from one queue by {@code clients} concurrent workers, either paced to a rate for a
 * time or a fixed count as fast as they go. Each put has no deadline (etcdctl's puts have none).
 * Measures what etcd's {@code pkg/report} measures: successful latencies, failures by message,
 * requests per second over the whole run. One run per instance; not thread-safe itself.
 */
final class CheckWorkload {
    /** etcdctl's clients each hold a connection; these share a few channels, which gRPC multiplexes. */
    private static final int MAX_CHANNELS = 8;
    private static final PutRequest END = PutRequest.getDefaultInstance();

    private final List<Channel> channels;
    private final int clients;
    private final String prefix;
    private final ByteString value;
    private final int keySize;

    CheckWorkload(List<Channel> channels, int clients, String prefix, int keySize, int valueSize) {
        this.channels = List.copyOf(channels);
        this.clients = clients;
        this.prefix = prefix;
        this.keySize = keySize;
        this.value = ByteString.copyFrom(new byte[valueSize]);
    }

    static int channelsFor(int clients) {
        return Math.min(clients, MAX_CHANNELS);
    }

    /** What the run measured (etcd's {@code report.Stats}: seconds, requests per second). */
    record Stats(List<Double> latencies, Map<String, Integer> errors, double rps) {
        double slowest() {
            return latencies.isEmpty() ? 0 : latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        /** Population standard deviation; NaN without a success, as Go's arithmetic gives. */
        double stddev() {
            double avg = latencies.stream().mapToDouble(Double::doubleValue).sum() / latencies.size();
            double sum = 0;
            for (double l : latencies) {
                sum += (l - avg) * (l - avg);
            }
            return Math.sqrt(sum / latencies.size());
        }
    }

    /** Puts at {@code perSecond} for {@code duration}; {@code done} sees the puts finished so far. */
    Stats paced(int perSecond, Duration duration, LongConsumer done) throws InterruptedException {
        long interval = 1_000_000_000L / perSecond;
        return run(queue -> {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            for (long i = 0; ; i++) {
                long at = start + i * interval;
                if (at >= end) {
                    return;
                }
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                queue.put(nextPut());
            }
        }, done);
    }

    /** Puts {@code count} keys as fast as the workers go. */
    Stats counted(int count, LongConsumer done) throws InterruptedException {
        return run(queue -> {
            for (int i = 0; i < count; i++) {
                queue.put(nextPut());
            }
        }, done);
    }

    private interface Producer {
        void produce(BlockingQueue<PutRequest> queue) throws InterruptedException;
    }

    private Stats run(Producer producer, LongConsumer done) throws InterruptedException {
        BlockingQueue<PutRequest> queue = new ArrayBlockingQueue<>(clients);
        List<Double> latencies = new ArrayList<>();
        Map<String, Integer> errors = new TreeMap<>();
        AtomicLong finished = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(i % channels.size()));
            workers.add(Thread.ofVirtual().name("kvctl-check-" + i).start(() -> work(kv, queue, latencies, errors, finished, done)));
        }
        try {
            producer.produce(queue);
            for (int i = 0; i < clients; i++) {
                queue.put(END);
            }
            for (Thread w : workers) {
                w.join();
            }
        } finally {
            workers.forEach(Thread::interrupt);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (latencies) {
            return new Stats(List.copyOf(latencies), Map.copyOf(errors), latencies.size() / seconds);
        }
    }

    private static void work(KVGrpc.KVBlockingStub kv, BlockingQueue<PutRequest> queue, List<Double> latencies,
                             Map<String, Integer> errors, AtomicLong finished, LongConsumer done) {
        try {
            for (PutRequest put = queue.take(); put != END; put = queue.take()) {
                long st = System.nanoTime();
                String failure = null;
                try {
                    kv.put(put);
                } catch (StatusRuntimeException e) {
                    failure = EtcdClient.describe(e.getStatus());
                }
                double took = (System.nanoTime() - st) / 1e9;
                synchronized (latencies) {
                    if (failure == null) {
                        latencies.add(took);
                    } else {
                        errors.merge(failure, 1, Integer::sum);
                    }
                }
                done.accept(finished.incrementAndGet());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** etcdctl's key: {@code prefix} then a zero buffer of the key size starting with a random varint. */
    private PutRequest nextPut() {
        byte[] k = new byte[keySize];
        long x = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        long zig = (x << 1) ^ (x >> 63);
        int i = 0;
        while ((zig & ~0x7FL) != 0) {
            k[i++] = (byte) ((zig & 0x7F) | 0x80);
            zig >>>= 7;
        }
        k[i] = (byte) zig;
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix).concat(ByteString.copyFrom(k))).setValue(value).build();
    }
}
