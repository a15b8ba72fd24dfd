/**
 * Small building blocks for authors of storage engines that wrap a native library (JNI or FFM):
 * {@link kv.backend.support.NativeGuard} keeps native calls and the engine's close apart,
 * {@link kv.backend.support.WriterSlot} admits one write transaction at a time, and
 * {@link kv.backend.support.PlatformCalls} moves native calls that may block in the kernel off virtual
 * threads. All are optional: the SPI ({@link kv.backend.spi}) does not require them. Depends on
 * java.base only.
 */
package kv.backend.support;
