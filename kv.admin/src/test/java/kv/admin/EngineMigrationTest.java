package kv.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kv.backend.Backend;
import kv.backend.BackendConfig;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;
import kv.backend.WriteTx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations between the real engines, interrupted ones, a tampered copy. */
class EngineMigrationTest {
    private static final BackendLocator LOCATOR = BackendLocator.builtIn();
    /** Small content for the failure cases; the round trip uses the big one. */
    private static Content small;

    @TempDir
    Path tmp;

    @BeforeAll
    static void content() {
        small = Content.generate(5_000, 2, 7);
    }

    private DataDir jboltDir(Content c) {
        DataDir dir = new DataDir(tmp.resolve("data"));
        c.writeTo(dir, "jbolt");
        return dir;
    }

    @Test
    void jboltToRocksdbToLmdbToJboltKeepsEveryEntry() {
        Content c = Content.generate(120_000, 6, 1);
        DataDir dir = jboltDir(c);
        BackendHash original = DataDirHash.of(dir, LOCATOR, Map.of());
        assertEquals(c.entries(), original.entries());
        assertEquals(c.buckets.size(), original.buckets());
        String from = "jbolt";
        for (String to : List.of("rocksdb", "lmdb", "jbolt")) {
            List<EngineMigration.Progress> seen = new ArrayList<>();
            EngineMigration.Result r = new EngineMigration(LOCATOR).migrate(dir, EngineMigration.Plan.to(to).withTxBounds(8L << 20, 25_000), seen::add);
            System.out.printf("migrated %s -> %s: %,d entries, %,d payload bytes in %d ms, %d progress reports%n",
                    from, to, r.hash().entries(), r.payloadBytes(), r.took().toMillis(), seen.size());
            assertEquals(original, r.hash(), from + " -> " + to + ": the hash both stores had");
            assertEquals(Optional.of(to), dir.recordedEngine(), "the record names the new engine");
            assertFalse(Files.exists(dir.backend(from)), "the old engine's directory is deleted");
            assertFalse(Files.exists(tmp.resolve("data/member/db-" + to + EngineMigration.MIGRATING)));
            assertProgress(seen, c.entries());
            assertEquals(original, DataDirHash.of(dir, LOCATOR, Map.of()), "hash of the migrated directory");
            c.assertIn(dir, to);
            from = to;
        }
    }

    private static void assertProgress(List<EngineMigration.Progress> seen, long entries) {
        assertTrue(seen.size() >= 5, "a report per bounded transaction: " + seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).bytes() >= seen.get(i - 1).bytes(), "progress only grows");
        }
        EngineMigration.Progress last = seen.getLast();
        assertEquals(entries, last.entries());
        assertEquals(entries, last.totalEntries());
        assertEquals(last.totalBytes(), last.bytes());
        assertEquals(1.0, last.fraction());
    }

    @Test
    void keepSourceLeavesTheOldStoreBeside() {
        DataDir dir = jboltDir(small);
        EngineMigration.Result r = new EngineMigration(LOCATOR).migrate(dir, EngineMigration.Plan.to("rocksdb").withKeepSource(true), p -> {});
        assertEquals(Optional.of(dir.backend("jbolt")), r.keptSource());
        small.assertIn(dir, "jbolt");
        small.assertIn(dir, "rocksdb");
        assertEquals(Optional.of("rocksdb"), dir.recordedEngine());
    }

    @Test
    void aFailureHalfWayLeavesTheOriginalAndARerunSucceeds() {
        DataDir dir = jboltDir(small);
        BackendHash original = DataDirHash.of(dir, LOCATOR, Map.of());
        EngineMigration.Plan plan = EngineMigration.Plan.to("lmdb").withTxBounds(1L << 30, 500);
        MigrationException e = assertThrows(MigrationException.class, () -> new EngineMigration(LOCATOR).migrate(dir, plan, p -> {
            if (p.entries() >= 2_000) {
                throw new IllegalStateException("injected failure after " + p.entries() + " entries");
            }
        }));
        assertTrue(e.getMessage().contains("injected failure after 2000 entries"), e.getMessage());
        assertTrue(e.getMessage().contains("still runs on \"jbolt\""), e.getMessage());
        assertOriginal(dir, original, "lmdb");
        assertEquals(original, new EngineMigration(LOCATOR).migrate(dir, plan, p -> {}).hash(), "the rerun");
        small.assertIn(dir, "lmdb");
    }

    @Test
    void aRerunDeletesTheHalfCopyAKilledMigrationLeft() throws IOException {
        DataDir dir = jboltDir(small);
        BackendHash original = DataDirHash.of(dir, LOCATOR, Map.of());
        Path leftover = dir.member().resolve("db-rocksdb" + EngineMigration.MIGRATING);
        try (Backend half = LOCATOR.find("rocksdb").open(BackendConfig.of(leftover))) {
            try (WriteTx tx = half.beginWrite()) { // what a migration killed after its first commits holds
                tx.createBucket("key");
                tx.put("key", new byte[] {1}, new byte[] {1});
                tx.commit();
            }
        }
        assertOriginal(dir, original, "rocksdb");
        EngineMigration.Result r = new EngineMigration(LOCATOR).migrate(dir, EngineMigration.Plan.to("rocksdb"), p -> {});
        assertEquals(original, r.hash());
        small.assertIn(dir, "rocksdb");
        assertFalse(Files.exists(leftover));
    }

    @Test
    void aCopyThatDiffersFailsVerificationAndNothingIsSwitched() {
        DataDir dir = jboltDir(small);
        BackendHash original = DataDirHash.of(dir, LOCATOR, Map.of());
        EngineMigration tampering = new EngineMigration(LOCATOR, copy -> {
            try (WriteTx tx = copy.beginWrite()) {
                tx.put("meta", new byte[] {0}, new byte[] {42}); // one flipped value
                tx.commit();
            }
        });
        MigrationException e = assertThrows(MigrationException.class, () -> tampering.migrate(dir, EngineMigration.Plan.to("rocksdb"), p -> {}));
        assertTrue(e.getMessage().startsWith("migrate: verification failed"), e.getMessage());
        assertTrue(e.getMessage().contains(original.sha256()), e.getMessage());
        assertOriginal(dir, original, "rocksdb");
    }

    /** The record still names jbolt, the store opens with its content, and no copy is left. */
    private void assertOriginal(DataDir dir, BackendHash original, String target) {
        assertEquals(Optional.of("jbolt"), dir.recordedEngine());
        assertFalse(Files.exists(dir.backend(target)), "no target directory");
        assertEquals(original, DataDirHash.of(dir, LOCATOR, Map.of()));
        small.assertIn(dir, "jbolt");
    }

    @Test
    void theRecordIsNotSwitchedWhenTheTargetCannotBeOpened() throws IOException {
        DataDir dir = jboltDir(small);
        Path leftover = dir.member().resolve("db-lmdb" + EngineMigration.MIGRATING);
        Files.createDirectories(leftover.getParent());
        MigrationException e = assertThrows(MigrationException.class, () -> new EngineMigration(LOCATOR)
                .migrate(dir, EngineMigration.Plan.to("lmdb").withOptions(Map.of("lmdb.map-size", "12")), p -> {}));
        assertTrue(e.getMessage().contains("lmdb.map-size"), e.getMessage());
        assertFalse(Files.exists(leftover));
        assertEquals(Optional.of("jbolt"), dir.recordedEngine());
    }

    @Test
    void progressIsReportedOnTheMigratingThread() {
        DataDir dir = jboltDir(small);
        Thread caller = Thread.currentThread();
        new EngineMigration(LOCATOR).migrate(dir, EngineMigration.Plan.to("rocksdb").withTxBounds(1L << 30, 1_000),
                p -> assertSame(caller, Thread.currentThread()));
    }
}
