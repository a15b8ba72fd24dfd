package kv.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest of a store's whole content (every bucket name, key and value, in bucket-name and
 * key order), identical across engines for the same content: compare it before and after a
 * migration from one engine to another, or between a snapshot's source and its restore.
 *
 * <p>What is hashed, per bucket in name order ({@link String#compareTo}): {@code 'B'}, the name's UTF-8 length (int) and bytes;
 * then per entry in {@link Bytes#ORDER}: {@code 'E'}, key length (int), key, value length (int),
 * value. Lengths make the encoding unambiguous, so different contents never hash the same input.
 * Engine-specific state (free pages, file layout, sizes) is not part of it.
 *
 * @param sha256 the digest, lower-case hex (64 characters)
 * @param buckets how many buckets were hashed
 * @param entries how many entries were hashed
 */
public record BackendHash(String sha256, long buckets, long entries) {
    public BackendHash {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length() != 64) {
            throw new IllegalArgumentException("sha256 must be 64 hex characters, got " + sha256.length());
        }
    }

    /** Hashes the store as one read transaction sees it. */
    public static BackendHash of(Backend backend) {
        try (ReadTx tx = backend.beginRead()) {
            return of(tx);
        }
    }

    /** Hashes every bucket visible to {@code tx}; the caller owns {@code tx}. */
    public static BackendHash of(ReadTx tx) {
        MessageDigest md = newDigest();
        long buckets = 0;
        long[] entries = {0};
        for (String bucket : tx.buckets().stream().sorted().toList()) {
            md.update((byte) 'B');
            update(md, bucket.getBytes(StandardCharsets.UTF_8));
            buckets++;
            tx.scan(bucket, null, null, (k, v) -> {
                md.update((byte) 'E');
                update(md, k);
                update(md, v);
                entries[0]++;
                return true;
            });
        }
        return new BackendHash(HexFormat.of().formatHex(md.digest()), buckets, entries[0]);
    }

    private static void update(MessageDigest md, byte[] bytes) {
        int n = bytes.length;
        md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        md.update(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
