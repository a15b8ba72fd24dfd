package kv.backend.tck;

import kv.backend.Backend;
import kv.backend.spi.BackendProvider;

/**
 * The contract every storage engine passes. An engine runs the whole kit by naming itself:
 *
 * <pre>{@code
 * class JboltContractTest extends BackendContract {
 *     protected BackendProvider provider() { return new JboltProvider(); }
 *     protected void afterEachCheck(Backend b) { ((JboltBackend) b).check(); }   // optional
 * }
 * }</pre>
 *
 * <p>The test methods are inherited from the chain of groups this class ends: CRUD and ordering
 * ({@link CrudContract}), misuse ({@link MisuseContract}), a randomized model test
 * ({@link ModelContract}), snapshot isolation ({@link IsolationContract}), crash durability with
 * child JVMs killed by SIGKILL ({@link DurabilityContract}), the snapshot stream and hash
 * ({@link SnapshotContract}), defragment and a million keys ({@link ScaleContract}), and
 * concurrency ({@link ConcurrencyContract}). Each test opens its stores in a fresh temporary
 * directory; after each test every store is closed, reopened and handed to
 * {@link #afterEachCheck(Backend)}. Hooks: {@link #provider()} (required),
 * {@link #config(java.nio.file.Path)}, {@link #afterEachCheck(Backend)},
 * {@link #childJvmOptions()}.
 *
 * <p>System properties: {@code kv.long=true} runs the long variants (many seeds, many kills);
 * {@code kv.tck.seed=N} replays the randomized tests with one seed (printed on failure).
 *
 * @see BackendProvider
 */
public abstract class BackendContract extends ConcurrencyContract {
    protected BackendContract() {}
}
