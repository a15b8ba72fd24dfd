package kv.bench;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendLocator;
import kv.backend.Durability;
import kv.mvcc.MvccConfig;
import kv.mvcc.MvccStore;
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
 * The MVCC store's apply path on each engine, over {@value #KEYS} keys with 256-byte values: a
 * put, a single-key range and a txn (compare the key's version, then put). {@code commit} is
 * "each" (the default configuration: one backend commit per write) or "batch" (up to 10,000 writes
 * per backend commit, the server's setting, with the 100 ms timer replaced by a commit at the end
 * of each iteration). Backend commits are NO_SYNC as in the server: the WAL is the durable log.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class MvccBench {
    static final int KEYS = 10_000;

    @Param({"jbolt", "rocksdb", "lmdb"})
    public String engine;

    @Param({"each", "batch"})
    public String commit;

    private Path dir;
    private Backend backend;
    private MvccStore store;
    private long index;
    private int next;
    private ByteString[] keys;
    private ByteString value;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = ScratchDir.create("kv-bench-mvcc-" + engine);
        backend = BackendLocator.builtIn().find(engine).open(BackendConfig.of(dir).withDurability(Durability.SYNC));
        MvccConfig config = switch (commit) {
            case "each" -> MvccConfig.defaults();
            case "batch" -> MvccConfig.defaults().withCommitBatch(10_000, Duration.ofMillis(100));
            default -> throw new IllegalArgumentException("commit must be each or batch: " + commit);
        };
        keys = new ByteString[KEYS];
        value = ByteString.copyFrom(Keys.value(5));
        preload();
        store = MvccStore.open(backend, config, InstantSource.system());
    }

    /** Writes every key once through a store that commits them in one batch, then closes it. */
    private void preload() {
        MvccStore loader = MvccStore.open(backend, MvccConfig.defaults().withCommitBatch(KEYS, Duration.ofMinutes(1)),
                InstantSource.system());
        for (int i = 0; i < KEYS; i++) {
            keys[i] = ByteString.copyFrom(String.format("bench/%08d", i), StandardCharsets.US_ASCII);
            loader.put(PutRequest.newBuilder().setKey(keys[i]).setValue(value).build(), ++index);
        }
        loader.commit();
        loader.close();
    }

    /** Stands in for the server's commit timer so a batch never spans iterations. */
    @TearDown(Level.Iteration)
    public void commitBatch() {
        store.commit();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        backend.close();
        ScratchDir.delete(dir);
    }

    private ByteString nextKey() {
        next = (next + 7919) % KEYS;
        return keys[next];
    }

    @Benchmark
    public long put() {
        return store.put(PutRequest.newBuilder().setKey(nextKey()).setValue(value).build(), ++index)
                .getHeader().getRevision();
    }

    @Benchmark
    public RangeResponse rangeOneKey() {
        RangeResponse r = store.range(RangeRequest.newBuilder().setKey(nextKey()).build());
        if (r.getKvsCount() != 1) {
            throw new IllegalStateException("range found " + r.getKvsCount() + " keys on " + engine);
        }
        return r;
    }

    @Benchmark
    public TxnResponse txnComparePut() {
        ByteString k = nextKey();
        Compare exists = Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VERSION)
                .setResult(Compare.CompareResult.GREATER).setVersion(0).build();
        RequestOp put = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k).setValue(value)).build();
        TxnResponse r = store.txn(TxnRequest.newBuilder().addCompare(exists).addSuccess(put).build(), ++index);
        if (!r.getSucceeded()) {
            throw new IllegalStateException("txn compare failed on " + engine);
        }
        return r;
    }
}
