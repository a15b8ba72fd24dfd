package kv.backend;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to open a backend: its directory, the durability of a plain {@link WriteTx#commit()}, and
 * engine-specific options ({@code "jbolt.page-size" -> "4096"}); an engine ignores keys that do not
 * start with its own name and a dot, and rejects unknown or malformed ones of its own with
 * {@link IllegalArgumentException}.
 */
public record BackendConfig(Path directory, Durability durability, Map<String, String> options) {
    public BackendConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        options = Map.copyOf(Objects.requireNonNull(options, "options"));
    }

    /** A config with {@link Durability#SYNC} commits and no engine options. */
    public static BackendConfig of(Path directory) {
        return new BackendConfig(directory, Durability.SYNC, Map.of());
    }

    public BackendConfig withDurability(Durability d) {
        return new BackendConfig(directory, d, options);
    }

    public BackendConfig withOption(String key, String value) {
        var m = new java.util.HashMap<>(options);
        m.put(key, value);
        return new BackendConfig(directory, durability, m);
    }

    /** The option's value, or {@code fallback} when absent. */
    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }
}
