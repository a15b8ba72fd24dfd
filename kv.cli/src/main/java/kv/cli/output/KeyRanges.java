package kv.cli.output;

import java.util.Arrays;

/** etcd's key-range conventions: a prefix is the range {@code [key, prefixEnd(key))}. Stateless. */
public final class KeyRanges {
    /** The range end meaning "to the end of the key space" (and, as a key, "from the first key"). */
    public static final byte[] ALL = {0};

    private KeyRanges() {}

    /**
     * The smallest key greater than every key starting with {@code key}: the last byte below 0xff
     * incremented and the rest dropped; {@code "\0"} (everything) when there is none.
     */
    public static byte[] prefixEnd(byte[] key) {
        for (int i = key.length - 1; i >= 0; i--) {
            if ((key[i] & 0xff) < 0xff) {
                byte[] end = Arrays.copyOf(key, i + 1);
                end[i]++;
                return end;
            }
        }
        return ALL.clone();
    }
}
