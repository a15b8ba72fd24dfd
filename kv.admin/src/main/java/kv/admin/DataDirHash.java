package kv.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import kv.backend.Backend;
import kv.backend.BackendHash;
import kv.backend.BackendLocator;

/**
 * The content hash of a stopped member's backend, as {@code kvctl hashkv --data-dir} prints it:
 * opens the recorded engine's store under the WAL lock (refusing a running member) and hashes it
 * with {@link BackendHash}, which is the same for the same content on every engine. Stateless;
 * thread-safe.
 */
public final class DataDirHash {
    private DataDirHash() {}

    /**
     * Hashes the backend of {@code dir}, opened with its recorded engine found in {@code locator}.
     *
     * @param options engine options for opening the store
     * @throws MigrationException when the directory or its record is missing, the engine unknown, or
     *     the member running
     */
    public static BackendHash of(DataDir dir, BackendLocator locator, Map<String, String> options) {
        Objects.requireNonNull(locator, "locator");
        String op = "hashkv";
        String engine = EngineMigration.recordedEngine(dir, op);
        var provider = new EngineMigration(locator).provider(engine, "recorded", dir);
        try (MemberLock lock = MemberLock.acquire(dir, op)) {
            var storeDir = EngineMigration.existingBackendDir(dir, engine, op);
            try (Backend b = provider.open(new kv.backend.BackendConfig(storeDir, kv.backend.Durability.SYNC, options))) {
                return BackendHash.of(b);
            } catch (IOException e) {
                throw new UncheckedIOException(op + ": cannot open " + storeDir + " with \"" + engine + "\": " + e.getMessage(), e);
            }
        }
    }
}
