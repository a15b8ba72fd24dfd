/**
 * etcd's auth store as a library: users, roles and key-range permissions persisted in a backend,
 * PBKDF2 password hashing, simple tokens, and the permission checks the server runs before it applies
 * a request. The server wires it in (gRPC interceptor, Auth service, raft apply); this module has no
 * threads and no network of its own.
 */
module kv.auth {
    requires transitive kv.api;
    requires transitive kv.backend;

    exports kv.auth;
}
