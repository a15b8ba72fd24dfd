/** jbolt: kv's own copy-on-write B+tree engine, the default. */
module kv.backend.jbolt {
    requires kv.backend;
}
