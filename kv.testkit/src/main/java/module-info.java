/** Test support shared by kv's modules; never a runtime dependency. */
module kv.testkit {
    requires transitive org.junit.jupiter.api;
    exports kv.testkit;
}
