package kv.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * etcd's YAML configuration file, read into flag values: top-level keys are flag names
 * ({@code name}, {@code data-dir}, {@code initial-cluster}, ...); TLS settings may also be nested
 * under {@code client-transport-security} and {@code peer-transport-security} as in etcd's sample.
 * Unknown keys are errors, so a typo never passes silently.
 */
final class ConfigFile {
    private static final Map<String, String> CLIENT_TLS = Map.of(
            "cert-file", "cert-file", "key-file", "key-file",
            "client-cert-auth", "client-cert-auth", "trusted-ca-file", "trusted-ca-file");
    private static final Map<String, String> PEER_TLS = Map.of(
            "cert-file", "peer-cert-file", "key-file", "peer-key-file",
            "client-cert-auth", "peer-client-cert-auth", "trusted-ca-file", "peer-trusted-ca-file");

    private ConfigFile() {}

    static Map<String, String> read(Path file) {
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new ConfigException("config file " + file + " must hold a mapping of flag names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = String.valueOf(e.getKey());
            switch (key) {
                case "client-transport-security" -> nested(file, key, e.getValue(), CLIENT_TLS, out);
                case "peer-transport-security" -> nested(file, key, e.getValue(), PEER_TLS, out);
                default -> out.put(known(file, key), scalar(file, key, e.getValue()));
            }
        }
        return out;
    }

    private static void nested(Path file, String section, Object value, Map<String, String> names, Map<String, String> out) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new ConfigException("config file " + file + ": " + section + " must be a mapping");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            String flag = names.get(k);
            if (flag == null) {
                continue; // etcd's sample carries keys kv has no use for (auto-tls, ...): accepted and ignored
            }
            out.put(flag, scalar(file, section + "." + k, e.getValue()));
        }
    }

    private static String known(Path file, String key) {
        if (!Flags.BY_NAME.containsKey(key) || key.equals("config-file")) {
            throw new ConfigException("config file " + file + ": unknown configuration key \"" + key + "\"");
        }
        return key;
    }

    private static String scalar(Path file, String key, Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (v instanceof Map<?, ?>) {
            throw new ConfigException("config file " + file + ": " + key + " must be a single value");
        }
        return String.valueOf(v);
    }
}
