package kv.server.config;

/** {@code --initial-cluster-state}: whether this member bootstraps a new cluster or joins an existing one. */
public enum ClusterState {
    NEW,
    EXISTING;

    static ClusterState parse(String s) {
        return switch (s) {
            case "new" -> NEW;
            case "existing" -> EXISTING;
            default -> throw new ConfigException("invalid value \"" + s + "\" for flag -initial-cluster-state: must be \"new\" or \"existing\"");
        };
    }
}
