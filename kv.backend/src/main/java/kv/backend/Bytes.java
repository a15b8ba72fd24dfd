package kv.backend;

import java.util.Arrays;
import java.util.Comparator;

/** Byte-array order as every engine must sort keys: unsigned, lexicographic, shorter prefix first. */
public final class Bytes {
    /** The order of keys in every bucket. */
    public static final Comparator<byte[]> ORDER = Bytes::compare;

    private Bytes() {}

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
