package kv.bench;

/** 16-byte keys: a fixed 8-byte prefix, then a big-endian number, so numeric order is key order. */
final class Keys {
    static final int VALUE_SIZE = 256;

    private Keys() {}

    static byte[] key(long n) {
        byte[] k = new byte[16];
        k[0] = 'k';
        k[1] = 'e';
        k[2] = 'y';
        k[3] = '/';
        for (int i = 0; i < 8; i++) {
            k[8 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return k;
    }

    static byte[] value(long seed) {
        byte[] v = new byte[VALUE_SIZE];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < v.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            v[i] = (byte) x;
        }
        return v;
    }
}
