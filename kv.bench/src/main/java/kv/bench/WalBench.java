package kv.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.wal.Wal;
import kv.wal.WalConfig;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends of {@code batch} 256-byte entries followed by an fsync: through the WAL ({@code walSave},
 * one {@code save(hardState, entries, true)} per batch), and as the floor, the same bytes written
 * with a raw {@link FileChannel} then {@code force(false)} ({@code rawWriteForce}). The score is
 * the time per invocation (one fsync); divide by {@code batch} for the time per entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class WalBench {
    static final int ENTRY_SIZE = 256;
    /** The raw file wraps to its start here, as a preallocated WAL segment would be reused. */
    private static final long RAW_FILE_LIMIT = 64L << 20;

    @Param({"1", "16", "256"})
    public int batch;

    private Path dir;
    private Wal wal;
    private FileChannel raw;
    private ByteBuffer rawBatch;
    private long nextIndex = 1;
    private ByteString payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = ScratchDir.create("kv-bench-wal");
        wal = Wal.create(WalConfig.of(dir.resolve("wal")), ByteString.copyFromUtf8("kv.bench"));
        raw = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        rawBatch = ByteBuffer.wrap(new byte[ENTRY_SIZE * batch]);
        payload = ByteString.copyFrom(Keys.value(9));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        wal.close();
        raw.close();
        ScratchDir.delete(dir);
    }

    @Benchmark
    public long walSave() {
        List<Entry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(Entry.newBuilder().setType(EntryType.ENTRY_NORMAL).setTerm(1).setIndex(nextIndex++)
                    .setData(payload).build());
        }
        wal.save(HardState.newBuilder().setTerm(1).setVote(1).setCommit(nextIndex - 1).build(), entries, true);
        return nextIndex;
    }

    @Benchmark
    public long rawWriteForce() throws IOException {
        if (raw.position() + rawBatch.capacity() > RAW_FILE_LIMIT) {
            raw.position(0);
        }
        rawBatch.clear();
        while (rawBatch.hasRemaining()) {
            raw.write(rawBatch);
        }
        raw.force(false);
        return raw.position();
    }
}
