package kv.server.config;

/** A flag or config-file value is wrong; the message names the flag and the value, as etcd's does. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
