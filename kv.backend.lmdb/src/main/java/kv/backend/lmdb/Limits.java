package kv.backend.lmdb;

import kv.backend.Backend;
import kv.backend.KeyTooLargeException;
import kv.backend.ValueTooLargeException;

/** The SPI's limits on keys, values and bucket names, checked before anything changes. */
final class Limits {
    private Limits() {}

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

    /** Bucket names become LMDB database names, which are keys of LMDB's main database. */
    static void checkBucketName(String bucket, int maxNameBytes) {
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("backend: bucket name is empty");
        }
        int len = bucket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (len > maxNameBytes) {
            throw new IllegalArgumentException("backend: bucket name of " + len + " bytes is longer than "
                    + maxNameBytes + " (the lmdb engine's limit)");
        }
    }
}
