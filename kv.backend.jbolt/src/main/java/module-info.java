/**
 * jbolt: kv's own copy-on-write B+tree engine, the default. Exports the engine API
 * ({@code kv.backend.jbolt}); provides the {@code jbolt} backend.
 */
module kv.backend.jbolt {
    requires transitive kv.backend;

    exports kv.backend.jbolt;

    provides kv.backend.spi.BackendProvider with kv.backend.jbolt.JboltProvider;
}
