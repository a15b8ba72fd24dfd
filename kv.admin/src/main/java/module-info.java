/** Offline administration of a stopped member's data directory: its layout, engine migration, inspection. */
module kv.admin {
    requires transitive kv.backend;

    exports kv.admin;
}
