package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import kv.backend.ReadTx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes gathered in one backend transaction: visible to reads at once, committed every N writes,
 * and after a crash the store is exactly as of the last committed applied index (the WAL replays
 * the rest).
 */
class BatchCommitTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Engines.Engine>> engines() {
        return Engines.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void crashLosesOnlyTheOpenBatchAndItsIndex(Engines.Engine engine) {
        MvccConfig config = MvccConfig.defaults().withCommitBatch(4, Duration.ofHours(1));
        try (StoreFixture f = new StoreFixture(dir, config, engine)) {
            for (int i = 1; i <= 10; i++) {
                f.store.put(put("k" + i, "v"), f.next());
            }
            assertEquals(10, f.store.range(prefix("k")).getCount(), "uncommitted writes are visible");
            try (ReadTx tx = f.backend.beginRead()) {
                assertEquals(8, java.nio.ByteBuffer.wrap(tx.get("meta", MvccStore.CONSISTENT_INDEX)).getLong());
            }
            f.backend.close(); // crash
            f.backend = engine.open(dir);
            f.store = MvccStore.open(f.backend, config, f.clock);
            assertEquals(8, f.store.appliedIndex());
            assertEquals(9, f.store.currentRevision(), "revision 1 and the 8 committed writes");
            assertEquals(8, f.store.range(prefix("k")).getCount());
            f.store.put(put("k9", "replayed"), 9);
            f.store.commit();
            f.index = 9;
            assertEquals(9, f.reopen().appliedIndex());
        }
    }
}
