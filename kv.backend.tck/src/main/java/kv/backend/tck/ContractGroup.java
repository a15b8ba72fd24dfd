package kv.backend.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import kv.backend.Backend;
import kv.backend.BackendClosedException;
import kv.backend.BackendConfig;
import kv.backend.WriteTx;
import kv.backend.spi.BackendProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root of the contract: the hooks an engine implements, and the store handling every test
 * uses. Opens backends of the provider under test in a fresh temporary directory per test; after
 * each test closes them, reopens every store the test used and runs {@link #afterEachCheck(Backend)}
 * on it.
 *
 * <p>The groups of tests ({@code *Contract}) extend each other in a chain that ends in
 * {@link BackendContract}, so that a plain subclass inherits every {@code @Test} method under any
 * runner; an engine extends {@link BackendContract}, not a group. One instance per test method
 * (JUnit's default lifecycle); not thread-safe except where a test starts its own threads.
 */
public abstract class ContractGroup {
    private final List<Backend> opened = new ArrayList<>();
    private final Set<Path> stores = new LinkedHashSet<>();

    /** The directory of this test; each store lives in a sub-directory. */
    @TempDir
    protected Path tmp;

    protected ContractGroup() {}

    /** The provider under test; a fresh or shared instance (providers are stateless). */
    protected abstract BackendProvider provider();

    /**
     * The config to open a store in {@code dir}: {@link BackendConfig#of(Path)} (SYNC commits, no
     * options) unless the engine overrides it, e.g. to set a small page size.
     */
    protected BackendConfig config(Path dir) {
        return BackendConfig.of(dir);
    }

    /**
     * The engine's own consistency check, run on a freshly reopened store after each test (and at a
     * few points inside long tests). Throw {@link AssertionError} (or any exception) to fail the
     * test. Does nothing by default.
     */
    protected void afterEachCheck(Backend backend) {}

    /**
     * JVM options for the child processes of the crash test, besides the class path. The default
     * gives a 512 MB heap and the access flags that native engines need on the class path.
     */
    protected List<String> childJvmOptions() {
        return List.of("-Xmx512m", "-Xss4m", "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    }

    /** Opens (creating) the store named {@code name} in this test's directory. Closed after the test. */
    protected final Backend open(String name) {
        return open(config(tmp.resolve(name)));
    }

    /** Opens a store with an explicit config (its directory is created if missing). Closed after the test. */
    protected final Backend open(BackendConfig config) {
        try {
            Files.createDirectories(config.directory());
            Backend b = Objects.requireNonNull(provider().open(config), "provider.open returned null");
            opened.add(b);
            stores.add(config.directory());
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + config.directory(), e);
        }
    }

    /** Closes {@code b} and opens its directory again with the same engine config. */
    protected final Backend reopen(Backend b) {
        Path dir = b.directory();
        b.close();
        opened.remove(b);
        return open(config(dir));
    }

    /** Closes {@code b}, which the test opened, so that the end of the test does not close it again. */
    protected final void close(Backend b) {
        b.close();
        opened.remove(b);
    }

    /** Runs {@code body} in one write transaction and commits it with the configured durability. */
    protected static void write(Backend b, Consumer<WriteTx> body) {
        try (WriteTx tx = b.beginWrite()) {
            body.accept(tx);
            tx.commit();
        }
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes from unsigned values: {@code bytes(0x00, 0xff)}. */
    protected static byte[] bytes(int... unsigned) {
        byte[] b = new byte[unsigned.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) unsigned[i];
        }
        return b;
    }

    @AfterEach
    protected final void closeAndCheckStores() {
        for (Backend b : opened) {
            closeQuietly(b);
        }
        opened.clear();
        for (Path dir : stores) {
            if (Files.isDirectory(dir)) {
                try (Backend b = provider().open(config(dir))) {
                    afterEachCheck(b);
                } catch (IOException e) {
                    throw new UncheckedIOException("reopening " + dir + " after the test failed", e);
                }
            }
        }
    }

    private static void closeQuietly(Backend b) {
        try {
            b.close();
        } catch (BackendClosedException e) {
            // closed by the test already: the contract does not require close to be idempotent
        }
    }
}
