package kv.bench;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
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

/**
 * Propose-to-commit of {@code batch} 256-byte entries (one proposal) through a 3-member group held
 * in memory: every Ready is persisted to the member's {@link MemoryStorage} and its messages are
 * delivered in-process until the group is quiet, so the score is the raft core's cost per round
 * (divide by {@code batch} for the time per entry).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RaftBench {
    private static final int MEMBERS = 3;
    /** Storage keeps this many applied entries behind the commit point; older ones are compacted. */
    private static final long RETAIN = 1_000;

    @Param({"1", "64"})
    public int batch;

    private RawNode[] nodes;
    private MemoryStorage[] storages;
    private final ArrayDeque<Message> network = new ArrayDeque<>();
    private List<ByteString> proposal;
    private long committed;

    @Setup(Level.Trial)
    public void elect() {
        nodes = new RawNode[MEMBERS];
        storages = new MemoryStorage[MEMBERS];
        for (int i = 0; i < MEMBERS; i++) {
            storages[i] = MemoryStorage.withVoters(1, 2, 3);
            nodes[i] = new RawNode(RaftConfig.of(i + 1, new SplittableRandom(i)), storages[i], new QuietLogger("kv.raft"));
        }
        proposal = Collections.nCopies(batch, ByteString.copyFrom(Keys.value(11)));
        nodes[0].campaign();
        runUntilQuiet();
        if (nodes[0].status().role() != StateRole.LEADER) {
            throw new IllegalStateException("member 1 did not become leader");
        }
    }

    @Benchmark
    public long proposeToCommit() {
        long before = committed;
        nodes[0].propose(proposal);
        runUntilQuiet();
        if (committed - before != batch) {
            throw new IllegalStateException("committed " + (committed - before) + " of " + batch + " entries");
        }
        return committed;
    }

    private void runUntilQuiet() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < MEMBERS; i++) {
                if (nodes[i].hasReady()) {
                    persistAndSend(i, nodes[i].ready());
                    progress = true;
                }
            }
            for (Message m = network.poll(); m != null; m = network.poll()) {
                nodes[(int) m.getTo() - 1].step(m);
                progress = true;
            }
        }
    }

    private void persistAndSend(int i, Ready rd) {
        MemoryStorage s = storages[i];
        s.append(rd.entries());
        if (rd.hasHardState()) {
            s.setHardState(rd.hardState());
        }
        network.addAll(rd.messages());
        if (!rd.committedEntries().isEmpty()) {
            if (i == 0) {
                committed += rd.committedEntries().stream().filter(e -> !e.getData().isEmpty()).count();
            }
            Entry last = rd.committedEntries().getLast();
            if (last.getIndex() - s.firstIndex() > 50 * RETAIN) {
                s.compact(last.getIndex() - RETAIN);
            }
        }
        nodes[i].advance(rd);
    }
}
