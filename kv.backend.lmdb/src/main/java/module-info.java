/**
 * The LMDB storage engine, named {@code lmdb}. Exports nothing: kv finds it through
 * {@link kv.backend.spi.BackendProvider}. lmdbjava needs {@code jdk.unsupported} (Unsafe), and at
 * run time {@code --add-opens java.base/java.nio=lmdbjava --add-opens java.base/sun.nio.ch=lmdbjava};
 * the LMDB library comes from the {@code org.lmdbjava:native} jar on the class path.
 */
module kv.backend.lmdb {
    requires kv.backend;
    requires lmdbjava;
    requires jdk.unsupported;

    provides kv.backend.spi.BackendProvider with kv.backend.lmdb.LmdbProvider;
}
