package kv.backend.rocks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import kv.backend.Backend;
import kv.backend.KeyTooLargeException;
import kv.backend.ValueTooLargeException;

/**
 * The layout of the one RocksDB key space: every bucket owns a 4-byte big-endian id that prefixes
 * its keys; id 0 holds the bucket registry ({@code 0 0 0 0 'b' name -> id}) and the id counter
 * ({@code 0 0 0 0 'n' -> next id}). Ids are never reused, so a bucket deleted and created again in
 * one transaction cannot see its former keys.
 */
final class Keys {
    static final int PREFIX = 4;
    static final byte[] REGISTRY_PREFIX = {0, 0, 0, 0, 'b'};
    static final byte[] REGISTRY_END = {0, 0, 0, 0, 'b' + 1};
    static final byte[] COUNTER = {0, 0, 0, 0, 'n'};
    static final int FIRST_ID = 1;
    /** The last id a bucket may get: its upper bound, {@code LAST_ID + 1}, must still fit in 4 bytes. */
    static final long LAST_ID = 0xFFFF_FFFEL;

    private Keys() {}

    static byte[] registryKey(String bucket) {
        byte[] name = bucket.getBytes(StandardCharsets.UTF_8);
        return concat(REGISTRY_PREFIX, name);
    }

    static String bucketName(byte[] registryKey) {
        return new String(registryKey, REGISTRY_PREFIX.length, registryKey.length - REGISTRY_PREFIX.length,
                StandardCharsets.UTF_8);
    }

    /** The prefix of bucket {@code id}; the prefix of {@code id + 1} is its exclusive upper bound. */
    static byte[] prefix(long id) {
        if (id < FIRST_ID || id > 0xFFFF_FFFFL) {
            throw new IllegalStateException("rocksdb: bucket id " + id + " out of range");
        }
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    static long id(byte[] prefix) {
        if (prefix.length != PREFIX) {
            throw new IllegalStateException("rocksdb: corrupt bucket registry entry of " + prefix.length + " bytes");
        }
        return ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFFL) << 16) | ((prefix[2] & 0xFFL) << 8) | (prefix[3] & 0xFFL);
    }

    static byte[] upperBound(byte[] prefix) {
        return prefix(id(prefix) + 1);
    }

    static byte[] data(byte[] prefix, byte[] key) {
        return concat(prefix, key);
    }

    static byte[] userKey(byte[] dataKey) {
        return Arrays.copyOfRange(dataKey, PREFIX, dataKey.length);
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Validates a key handed to a write. */
    static void checkKey(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("backend: key is empty");
        }
        if (key.length > Backend.MAX_KEY_SIZE) {
            throw new KeyTooLargeException("backend: key of " + key.length + " bytes is larger than "
                    + Backend.MAX_KEY_SIZE);
        }
    }

    static void checkValue(byte[] value) {
        if (value.length > Backend.MAX_VALUE_SIZE) {
            throw new ValueTooLargeException("backend: value of " + value.length + " bytes is larger than "
                    + Backend.MAX_VALUE_SIZE);
        }
    }

    static void checkBucketName(String bucket) {
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("backend: bucket name is empty");
        }
    }
}
