package kv.backend.rocks;

import java.util.Map;
import kv.backend.BackendConfig;

/**
 * The engine options kv reads from {@link BackendConfig#options()} (keys start with
 * {@code rocksdb.}), validated on construction.
 *
 * <ul>
 *   <li>{@code rocksdb.block-cache-size}: bytes of the LRU block cache, default 64 MiB. Point
 *       gets on revision keys and short range scans hit a small hot set; 64 MiB holds the index,
 *       filter and hot data blocks of a multi-GiB store without crowding the JVM heap.
 *   <li>{@code rocksdb.compression}: {@code lz4} (default: LZ4 on the upper levels, whose files are
 *       rewritten soon, ZSTD on the bottommost level, which holds most of the data and is read
 *       more than written) or {@code none} (for incompressible values, saves the CPU).
 *   <li>{@code rocksdb.write-buffer-size}: bytes of one memtable, default 64 MiB.
 *   <li>{@code rocksdb.background-jobs}: flush and compaction threads, default 2 (the machines kv
 *       targets have 2 cores; more jobs would only contend with the raft loop).
 * </ul>
 */
record RocksTuning(long blockCacheSize, boolean compress, long writeBufferSize, int backgroundJobs) {
    static final String PREFIX = "rocksdb.";

    RocksTuning {
        if (blockCacheSize < 1 << 20) {
            throw new IllegalArgumentException("rocksdb.block-cache-size must be at least 1 MiB, got " + blockCacheSize);
        }
        if (writeBufferSize < 1 << 20) {
            throw new IllegalArgumentException("rocksdb.write-buffer-size must be at least 1 MiB, got " + writeBufferSize);
        }
        if (backgroundJobs < 1 || backgroundJobs > 64) {
            throw new IllegalArgumentException("rocksdb.background-jobs must be 1..64, got " + backgroundJobs);
        }
    }

    static RocksTuning from(BackendConfig config) {
        long cache = 64L << 20;
        boolean compress = true;
        long writeBuffer = 64L << 20;
        int jobs = 2;
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                continue;
            }
            String v = e.getValue();
            switch (e.getKey()) {
                case "rocksdb.block-cache-size" -> cache = parseLong(e.getKey(), v);
                case "rocksdb.write-buffer-size" -> writeBuffer = parseLong(e.getKey(), v);
                case "rocksdb.background-jobs" -> jobs = (int) parseLong(e.getKey(), v);
                case "rocksdb.compression" -> compress = switch (v) {
                    case "lz4" -> true;
                    case "none" -> false;
                    default -> throw new IllegalArgumentException("rocksdb.compression must be lz4 or none, got \"" + v + "\"");
                };
                default -> throw new IllegalArgumentException("unknown rocksdb option \"" + e.getKey() + "\"");
            }
        }
        return new RocksTuning(cache, compress, writeBuffer, jobs);
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got \"" + v + "\"", e);
        }
    }
}
