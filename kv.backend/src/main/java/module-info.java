/**
 * The storage-engine SPI of kv: named buckets of ordered byte keys, snapshot read transactions, one
 * atomic write transaction at a time, an engine-neutral snapshot stream. Engines provide
 * {@link kv.backend.spi.BackendProvider}; {@link kv.backend.BackendLocator} is the only place that
 * loads them. Depends on java.base only.
 */
module kv.backend {
    exports kv.backend;
    exports kv.backend.spi;
    exports kv.backend.support;

    uses kv.backend.spi.BackendProvider;
}
