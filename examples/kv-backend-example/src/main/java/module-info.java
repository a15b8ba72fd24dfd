/**
 * "memlog", an example third-party storage engine for kv: the whole store in memory (a sorted map
 * per bucket), every commit appended to a CRC-framed log, the log folded into a checkpoint on
 * defragment. It needs nothing of kv but the SPI in {@code kv.backend}, and exports nothing: kv
 * finds it through {@code provides} alone.
 */
module example.kv.backend.memlog {
    requires kv.backend;

    provides kv.backend.spi.BackendProvider with example.kv.backend.memlog.MemlogProvider;
}
