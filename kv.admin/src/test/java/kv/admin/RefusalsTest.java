package kv.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import kv.backend.BackendLocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal names its reason and leaves the directory as it was. */
class RefusalsTest {
    private static final BackendLocator LOCATOR = BackendLocator.builtIn();

    @TempDir
    Path tmp;

    private DataDir dir;

    @BeforeEach
    void jboltMember() {
        dir = new DataDir(tmp.resolve("data"));
        Content.generate(100, 0, 3).writeTo(dir, "jbolt");
    }

    private MigrationException refused(DataDir d, String target) {
        return assertThrows(MigrationException.class, () -> new EngineMigration(LOCATOR).migrate(d, EngineMigration.Plan.to(target), p -> {}));
    }

    private static void assertMessage(MigrationException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "\"" + e.getMessage() + "\" should contain \"" + p + "\"");
        }
    }

    @Test
    void unknownTargetListsTheKnownEngines() {
        assertMessage(refused(dir, "nosuch"), "unknown backend \"nosuch\"", "jbolt", "lmdb", "rocksdb");
        assertEquals(Optional.of("jbolt"), dir.recordedEngine());
    }

    @Test
    void sameEngine() {
        assertMessage(refused(dir, "jbolt"), "already runs on \"jbolt\"");
    }

    @Test
    void absentDataDirectory() {
        assertMessage(refused(new DataDir(tmp.resolve("nowhere")), "rocksdb"), "nowhere", "does not exist");
    }

    @Test
    void noEngineRecord() throws IOException {
        Files.delete(dir.member().resolve("engine"));
        assertMessage(refused(dir, "rocksdb"), "has no engine record");
        assertMessage(assertThrows(MigrationException.class, () -> DataDirHash.of(dir, LOCATOR, Map.of())), "hashkv:", "no engine record");
    }

    @Test
    void recordedStoreMissing() throws IOException {
        dir.record("lmdb");
        assertMessage(refused(dir, "rocksdb"), "recorded engine is \"lmdb\"", "db-lmdb does not exist");
    }

    @Test
    void recordedEngineUnknown() {
        dir.record("gone");
        assertMessage(refused(dir, "rocksdb"), "recorded engine", "unknown backend \"gone\"");
    }

    @Test
    void runningMember() throws IOException {
        try (FileChannel ch = FileChannel.open(dir.wal().resolve("wal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            assertMessage(refused(dir, "rocksdb"), "appears to be running", "wal.lock", "stop kvd first");
            assertMessage(assertThrows(MigrationException.class, () -> DataDirHash.of(dir, LOCATOR, Map.of())), "appears to be running");
        }
        assertEquals(Optional.of("jbolt"), dir.recordedEngine());
        assertTrue(Files.notExists(dir.backend("rocksdb")));
    }

    @Test
    void targetDirectoryPresent() throws IOException {
        Files.createDirectories(dir.backend("rocksdb"));
        Files.writeString(dir.backend("rocksdb").resolve("someone's"), "data");
        assertMessage(refused(dir, "rocksdb"), "db-rocksdb already exists", "delete it and rerun");
        assertTrue(Files.exists(dir.backend("rocksdb").resolve("someone's")), "the refusal deletes nothing");
    }

    @Test
    void planValidatesItself() {
        assertThrows(IllegalArgumentException.class, () -> EngineMigration.Plan.to(" "));
        assertThrows(IllegalArgumentException.class, () -> EngineMigration.Plan.to("lmdb").withTxBounds(0, 1));
        assertThrows(IllegalArgumentException.class, () -> EngineMigration.Plan.to("lmdb").withTxBounds(1, 0));
    }
}
