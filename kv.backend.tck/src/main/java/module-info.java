/** The contract test kit every storage engine provider runs (ours and third parties'). */
module kv.backend.tck {
    requires transitive kv.backend;
    requires transitive org.junit.jupiter.api;
}
