/**
 * The contract test kit every storage engine provider runs (ours and third parties'): extend
 * {@link kv.backend.tck.BackendContract} in the engine's tests and name the provider.
 */
module kv.backend.tck {
    requires transitive kv.backend;
    requires transitive org.junit.jupiter.api;

    exports kv.backend.tck;
}
