/**
 * The backend contract test kit. {@link kv.backend.tck.BackendContract} is the one entry point: an
 * engine's test class extends it and returns its {@link kv.backend.spi.BackendProvider}; JUnit then
 * runs every inherited contract test against fresh stores of that engine. The groups of tests
 * ({@code *Contract} classes) form one inheritance chain ending in {@code BackendContract}; they are
 * public because an engine's test class in another package inherits from them, not for direct use.
 *
 * <p>Properties: {@code kv.long=true} for the long variants, {@code kv.tck.seed=N} to replay a
 * randomized run, {@code kv.tck.million=N} to shrink the million-key test in a quick local run.
 */
package kv.backend.tck;
