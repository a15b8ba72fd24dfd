package example.kv.backend.memlog;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One committed version of the store: bucket name to a sorted map of its entries, and the bytes the
 * content would take in a checkpoint ({@link #liveBytes}). Never changed once published: a write
 * transaction copies what it changes ({@link Changes}), so a reader holding a {@code State} keeps
 * its view for as long as it likes. Thread-safe because immutable.
 */
record State(SortedMap<String, NavigableMap<byte[], byte[]>> buckets, long liveBytes) {
    static final State EMPTY = new State(Collections.unmodifiableSortedMap(new TreeMap<>()), 0);

    /** What one bucket costs in a checkpoint: type byte, name length, name. */
    static long bucketCost(String name) {
        return 1 + 4 + Codec.utf8(name).length;
    }

    /** What one entry costs in a checkpoint: type byte, key length, key, value length, value. */
    static long entryCost(byte[] key, byte[] value) {
        return 1 + 4 + key.length + 4 + value.length;
    }
}
