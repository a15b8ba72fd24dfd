package kv.backend.lmdb;

import java.util.Map;
import kv.backend.BackendConfig;

/**
 * The engine options kv reads from {@link BackendConfig#options()} (keys start with {@code lmdb.}),
 * validated on construction.
 *
 * <ul>
 *   <li>{@code lmdb.map-size}: bytes of the initial memory map, default 1 GiB. Without
 *       {@code MDB_WRITEMAP} the file grows only as pages are written, so a large map costs address
 *       space, not disk; when it fills, the engine doubles it (see the package documentation).
 *   <li>{@code lmdb.max-readers}: concurrent read transactions, default 1022.
 *   <li>{@code lmdb.max-buckets}: named databases, default 1024 (LMDB scans its table of open
 *       databases linearly, so a bound matters; kv uses about ten).
 *   <li>{@code lmdb.no-sync}: what {@link kv.backend.Durability#NO_SYNC} means when it is the
 *       configured durability: {@code nometasync} (default: the data pages are still fsynced per
 *       commit, the meta page is not, so a machine crash can lose the last commits but never tears
 *       the store) or {@code nosync} (no fsync at all: survives a process crash; a machine crash
 *       may corrupt the store, so only for stores that can be rebuilt).
 * </ul>
 */
record LmdbTuning(long mapSize, int maxReaders, int maxBuckets, boolean noSyncAtAll) {
    LmdbTuning {
        if (mapSize < 64 * 1024) {
            throw new IllegalArgumentException("lmdb.map-size must be at least 64 KiB, got " + mapSize);
        }
        if (maxReaders < 1) {
            throw new IllegalArgumentException("lmdb.max-readers must be positive, got " + maxReaders);
        }
        if (maxBuckets < 1 || maxBuckets > 32_000) {
            throw new IllegalArgumentException("lmdb.max-buckets must be 1..32000, got " + maxBuckets);
        }
    }

    static LmdbTuning from(BackendConfig config) {
        long mapSize = 1L << 30;
        int readers = 1022;
        int buckets = 1024;
        boolean noSyncAtAll = false;
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            if (!e.getKey().startsWith("lmdb.")) {
                continue;
            }
            String v = e.getValue();
            switch (e.getKey()) {
                case "lmdb.map-size" -> mapSize = parseLong(e.getKey(), v);
                case "lmdb.max-readers" -> readers = (int) parseLong(e.getKey(), v);
                case "lmdb.max-buckets" -> buckets = (int) parseLong(e.getKey(), v);
                case "lmdb.no-sync" -> noSyncAtAll = switch (v) {
                    case "nometasync" -> false;
                    case "nosync" -> true;
                    default -> throw new IllegalArgumentException("lmdb.no-sync must be nometasync or nosync, got \"" + v + "\"");
                };
                default -> throw new IllegalArgumentException("unknown lmdb option \"" + e.getKey() + "\"");
            }
        }
        return new LmdbTuning(mapSize, readers, buckets, noSyncAtAll);
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got \"" + v + "\"", e);
        }
    }
}
