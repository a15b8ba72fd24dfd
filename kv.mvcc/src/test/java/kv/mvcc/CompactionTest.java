package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import kv.api.etcdserverpb.HashKVRequest;
import kv.backend.ReadTx;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Physical compaction: batches, marks in bucket meta, restart midway, and hashes that do not see it. */
class CompactionTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Engines.Engine>> engines() {
        return Engines.all();
    }

    private static StoreFixture history(Path dir, Engines.Engine engine) {
        StoreFixture f = new StoreFixture(dir, MvccConfig.defaults().withCompactionBatchLimit(3), engine);
        for (int v = 0; v < 3; v++) {
            for (int k = 0; k < 10; k++) {
                f.store.put(put("k" + k, "v" + v), f.next());
            }
        }
        f.store.deleteRange(del("k0"), f.next()); // 32
        f.store.put(put("k1", "last"), f.next()); // 33
        return f;
    }

    private static int entries(StoreFixture f, long upTo) {
        AtomicInteger n = new AtomicInteger();
        try (ReadTx tx = f.backend.beginRead()) {
            tx.scan("key", null, Revision.startOf(upTo + 1), (k, v) -> {
                n.incrementAndGet();
                return true;
            });
        }
        return n.get();
    }

    private static long mark(StoreFixture f, String name) {
        try (ReadTx tx = f.backend.beginRead()) {
            byte[] b = tx.get("meta", name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return b == null ? 0 : Revision.fromBytes(b).main();
        }
    }

    private static int hash(StoreFixture f, long rev) {
        return f.store.hashKv(HashKVRequest.newBuilder().setRevision(rev).build()).getHash();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void batchesLetWritesThroughAndHashesDoNotSeeThem(Engines.Engine engine) {
        try (StoreFixture f = history(dir, engine)) {
            Compaction c = f.store.compact(26, f.next());
            assertEquals(26, mark(f, "scheduledCompactRev"));
            assertEquals(0, mark(f, "finishedCompactRev"));
            assertEquals(32, entries(f, 33), "nothing dropped yet");
            int scheduled = hash(f, 33);
            assertFalse(c.step());
            f.store.put(put("k9", "between batches"), f.next()); // not blocked by the compaction
            c.run();
            assertTrue(c.finished());
            assertEquals(26, mark(f, "finishedCompactRev"));
            // kept at 26: each key's latest revision at or below it (k0..k4 at 22..26, k5..k9 at 17..21)
            assertEquals(10, entries(f, 26));
            assertEquals(scheduled, hash(f, 33), "physical compaction does not change the hash");
            try (StoreFixture twin = history(dir.resolve("twin"), engine)) {
                twin.store.compact(26, twin.next()).run();
                twin.store.put(put("k9", "between batches"), twin.next());
                assertEquals(hash(f, 34), hash(twin, 34), "the same history hashes the same");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void restartMidwayFinishesTheCompaction(Engines.Engine engine) {
        try (StoreFixture f = history(dir, engine)) {
            Compaction c = f.store.compact(26, f.next());
            int scheduled = hash(f, 33);
            c.step();
            f.backend.close(); // crash: no store close, the job is abandoned
            f.backend = engine.open(dir);
            f.store = MvccStore.open(f.backend, f.config, f.clock);
            assertEquals(26, f.store.compactRevision());
            assertEquals(26, mark(f, "finishedCompactRev"));
            assertEquals(10, entries(f, 26));
            assertEquals(scheduled, hash(f, 33));
            assertEquals(33, f.store.currentRevision());
            assertEquals(5, f.store.range(prefix("k").toBuilder().setRevision(26).build()).getKvsList().stream()
                    .filter(kv -> kv.getModRevision() <= 21).count(), "k5..k9 at 17..21 read at the compact revision");
        }
    }
}
