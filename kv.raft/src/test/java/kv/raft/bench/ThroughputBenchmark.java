package kv.raft.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kv.raft.MemoryStorage;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.Ready;
import kv.raft.StateRole;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Committed entries per second through a 3-member group held in memory (no disk, no network:
 * the cost of the raft core itself), proposing {@code batch} 128-byte entries per round and
 * running every Ready to completion. Public API only.
 *
 * <p>Run: {@code java -cp <test classpath> kv.raft.bench.ThroughputBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ThroughputBenchmark {
    private static final byte[] PAYLOAD = new byte[128];

    @Param({"1", "64"})
    public int batch;

    private RawNode[] nodes;
    private MemoryStorage[] storages;
    private final java.util.ArrayDeque<Message> network = new java.util.ArrayDeque<>();
    private long committed;
    private java.util.List<com.google.protobuf.ByteString> batchData;

    @Setup(Level.Trial)
    public void setUp() {
        nodes = new RawNode[3];
        storages = new MemoryStorage[3];
        for (int i = 0; i < 3; i++) {
            storages[i] = MemoryStorage.withVoters(1, 2, 3);
            nodes[i] = new RawNode(RaftConfig.of(i + 1, new SplittableRandom(i)), storages[i]);
        }
        batchData = java.util.Collections.nCopies(batch, com.google.protobuf.ByteString.copyFrom(PAYLOAD));
        nodes[0].campaign();
        stabilize();
        if (nodes[0].status().role() != StateRole.LEADER) {
            throw new IllegalStateException("no leader");
        }
    }

    /** One round: propose a batch on the leader and run the group until it is quiet. */
    @Benchmark
    public long proposeAndCommit() {
        for (int i = 0; i < batch; i++) {
            nodes[0].propose(PAYLOAD);
        }
        stabilize();
        return committed;
    }

    /** The same batch as one proposal of {@code batch} entries. */
    @Benchmark
    public long proposeBatchAndCommit() {
        nodes[0].propose(batchData);
        stabilize();
        return committed;
    }

    private void stabilize() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < 3; i++) {
                if (nodes[i].hasReady()) {
                    handle(i, nodes[i].ready());
                    progress = true;
                }
            }
            while (!network.isEmpty()) {
                Message m = network.poll();
                nodes[(int) m.getTo() - 1].step(m);
                progress = true;
            }
        }
    }

    private void handle(int i, Ready rd) {
        MemoryStorage s = storages[i];
        s.append(rd.entries());
        if (rd.hasHardState()) {
            s.setHardState(rd.hardState());
        }
        network.addAll(rd.messages());
        if (!rd.committedEntries().isEmpty()) {
            Entry last = rd.committedEntries().getLast();
            if (i == 0) {
                committed += rd.committedEntries().size();
            }
            // Keep memory flat: compact what every member has applied.
            if (last.getIndex() - s.firstIndex() > 50_000) {
                s.compact(last.getIndex() - 1_000);
            }
        }
        nodes[i].advance(rd);
    }

    public static void main(String[] args) throws Exception {
        for (RunResult r : new Runner(new OptionsBuilder().include(ThroughputBenchmark.class.getSimpleName()).build()).run()) {
            int b = Integer.parseInt(r.getParams().getParam("batch"));
            double rounds = r.getPrimaryResult().getScore();
            System.out.printf("%s batch=%d: %.0f rounds/s = %.0f committed entries/s (error %.1f%%)%n",
                    r.getParams().getBenchmark().replaceAll(".*\\.", ""), b, rounds, rounds * b,
                    100 * r.getPrimaryResult().getScoreError() / rounds);
        }
    }
}
