package kv.backend.jbolt.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The on-disk page format, read in place from a mapped segment.
 *
 * <p>Every page run starts with a 24-byte header: page id (u64), flags (u32), element count (u32),
 * overflow (u32: how many further contiguous pages the run spans), reserved (u32). A node that does
 * not fit one page (large keys or values) simply spans {@code overflow + 1} contiguous pages, so an
 * element's bytes are always contiguous in the file.
 *
 * <p>Branch elements (16 bytes): key offset (u32, from the run's start), key length (u32), child
 * page id (u64). Leaf elements (16 bytes): key offset, key length, value length (u32 each), flags
 * (u32, zero); the value follows the key. All integers little-endian. Stateless.
 */
final class Page {
    static final int HEADER = 24;
    static final int ELEMENT = 16;

    static final int BRANCH = 1;
    static final int LEAF = 2;
    static final int META = 4;
    static final int FREELIST = 8;

    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Keys compare as big-endian words: the first byte is the most significant. */
    private static final ValueLayout.OfLong BIG_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Page() {}

    static long id(MemorySegment s, long base) {
        return s.get(LONG, base);
    }

    static int flags(MemorySegment s, long base) {
        return s.get(INT, base + 8);
    }

    static int count(MemorySegment s, long base) {
        return s.get(INT, base + 12);
    }

    static int overflow(MemorySegment s, long base) {
        return s.get(INT, base + 16);
    }

    static boolean isLeaf(MemorySegment s, long base) {
        return flags(s, base) == LEAF;
    }

    static long element(long base, int i) {
        return base + HEADER + (long) i * ELEMENT;
    }

    static long keyOffset(MemorySegment s, long base, int i) {
        return base + Integer.toUnsignedLong(s.get(INT, element(base, i)));
    }

    static int keyLength(MemorySegment s, long base, int i) {
        return s.get(INT, element(base, i) + 4);
    }

    static int valueLength(MemorySegment s, long base, int i) {
        return s.get(INT, element(base, i) + 8);
    }

    static long child(MemorySegment s, long base, int i) {
        return s.get(LONG, element(base, i) + 8);
    }

    static byte[] key(MemorySegment s, long base, int i) {
        return copy(s, keyOffset(s, base, i), keyLength(s, base, i));
    }

    static byte[] value(MemorySegment s, long base, int i) {
        long k = keyOffset(s, base, i);
        return copy(s, k + keyLength(s, base, i), valueLength(s, base, i));
    }

    static byte[] copy(MemorySegment s, long offset, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, out, 0, length);
        return out;
    }

    /** Unsigned lexicographic comparison of element {@code i}'s key with {@code key}, eight bytes at a time. */
    static int compareKey(MemorySegment s, long base, int i, byte[] key) {
        long off = keyOffset(s, base, i);
        int len = keyLength(s, base, i);
        int n = Math.min(len, key.length);
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            long a = s.get(BIG_LONG, off + j);
            long b = (long) ARRAY_LONG.get(key, j);
            if (a != b) {
                return Long.compareUnsigned(a, b);
            }
        }
        for (; j < n; j++) {
            int a = Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + j));
            int b = Byte.toUnsignedInt(key[j]);
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return Integer.compare(len, key.length);
    }

    /** Index of the first leaf element whose key is {@code >= key} ({@code count} when none). */
    static int lowerBound(MemorySegment s, long base, byte[] key) {
        int lo = 0;
        int hi = count(s, base);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(s, base, mid, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the branch child whose range holds {@code key}: the last element with key {@code <= key}, or 0. */
    static int childIndex(MemorySegment s, long base, byte[] key) {
        int lo = 0;
        int hi = count(s, base);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareKey(s, base, mid, key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(0, lo - 1);
    }
}
