/**
 * The service a storage engine implements: {@link kv.backend.spi.BackendProvider}, declared with
 * {@code provides kv.backend.spi.BackendProvider with ...} in the engine's module. A third-party
 * engine needs only the kv.backend module to compile, and proves itself by running kv.backend.tck.
 */
package kv.backend.spi;
