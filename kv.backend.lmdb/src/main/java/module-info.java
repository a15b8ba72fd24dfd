/** The LMDB storage engine. */
module kv.backend.lmdb {
    requires kv.backend;
    requires lmdbjava;
    requires jdk.unsupported;
}
