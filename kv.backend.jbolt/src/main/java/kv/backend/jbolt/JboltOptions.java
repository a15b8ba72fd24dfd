package kv.backend.jbolt;

import java.util.Map;
import java.util.Objects;
import kv.backend.BackendConfig;
import kv.backend.Durability;

/**
 * How to open a jbolt file.
 *
 * @param pageSize bytes per page for a new file: a power of two from 1 KiB to 64 KiB (an existing
 *     file keeps the page size it was created with)
 * @param durability the durability of {@link JboltTx#commit()}
 */
public record JboltOptions(int pageSize, Durability durability) {
    /** The default page size, 4 KiB. */
    public static final int DEFAULT_PAGE_SIZE = 4096;
    /** The option key in {@link BackendConfig#options()}. */
    public static final String PAGE_SIZE_OPTION = "jbolt.page-size";

    public JboltOptions {
        Objects.requireNonNull(durability, "durability");
        if (pageSize < 1024 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("jbolt: page size " + pageSize + " is not a power of two in [1024, 65536]");
        }
    }

    /** 4 KiB pages, synced commits. */
    public static JboltOptions defaults() {
        return new JboltOptions(DEFAULT_PAGE_SIZE, Durability.SYNC);
    }

    /**
     * The options of a backend config: its durability and {@code jbolt.page-size}.
     *
     * @throws IllegalArgumentException for an unknown {@code jbolt.*} key or a malformed value
     */
    public static JboltOptions from(BackendConfig config) {
        int pageSize = DEFAULT_PAGE_SIZE;
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            if (!e.getKey().startsWith("jbolt.")) {
                continue;
            }
            if (!e.getKey().equals(PAGE_SIZE_OPTION)) {
                throw new IllegalArgumentException("jbolt: unknown option \"" + e.getKey() + "\" (known: " + PAGE_SIZE_OPTION + ")");
            }
            try {
                pageSize = Integer.parseInt(e.getValue().trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("jbolt: " + PAGE_SIZE_OPTION + " must be a number, got \"" + e.getValue() + "\"", ex);
            }
        }
        return new JboltOptions(pageSize, config.durability());
    }
}
