/** The RocksDB storage engine. */
module kv.backend.rocks {
    requires kv.backend;
    requires rocksdbjni;
}
