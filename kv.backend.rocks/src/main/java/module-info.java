/**
 * The RocksDB storage engine, named {@code rocksdb}. Exports nothing: kv finds it through
 * {@link kv.backend.spi.BackendProvider}.
 */
module kv.backend.rocks {
    requires kv.backend;
    requires rocksdbjni;

    provides kv.backend.spi.BackendProvider with kv.backend.rocks.RocksProvider;
}
