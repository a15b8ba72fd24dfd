package kv.backend.spi;

import java.io.IOException;
import kv.backend.Backend;
import kv.backend.BackendConfig;

/**
 * A storage engine, found by {@link java.util.ServiceLoader} (on the module path, the class path or
 * in a plug-in directory loaded as its own module layer).
 *
 * <p>Implementations have a public no-argument constructor (or a static {@code provider()} method),
 * are stateless and thread-safe, and do no work until {@link #open} is called.
 */
public interface BackendProvider {
    /** The engine's name as operators type it after {@code --backend}: lower case, e.g. {@code jbolt}. */
    String name();

    /** The engine's version (of the provider and, where there is one, of the native library under it). */
    String version();

    /** One line for listings: what the engine is. */
    default String description() {
        return name();
    }

    /**
     * Opens (creating if absent) the store in {@link BackendConfig#directory()}. The directory is the
     * engine's alone: it may create any files there. The caller closes the returned backend.
     *
     * @throws IOException when the files cannot be created or read
     * @throws kv.backend.BackendCorruptedException when the files are not a valid store of this engine
     */
    Backend open(BackendConfig config) throws IOException;
}
