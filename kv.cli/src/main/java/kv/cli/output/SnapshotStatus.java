package kv.cli.output;

import java.util.Objects;

/**
 * What {@code snapshot status} reports of a snapshot file, in etcdctl's shape.
 *
 * @param hash the content hash (kv's engine-neutral SHA-256 of every bucket, key and value, the one
 *     {@code kvctl hashkv --data-dir} prints), lower-case hex
 * @param revision the newest MVCC revision in the snapshot, or empty when it holds no {@code key} bucket
 * @param totalKeys entries over all buckets, as etcdctl counts them
 * @param totalSize bytes of the snapshot file
 */
public record SnapshotStatus(String hash, java.util.OptionalLong revision, long totalKeys, long totalSize) {
    public SnapshotStatus {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(revision, "revision");
    }

    /** The revision as printed: its number, or {@code "-"} when it cannot be derived. */
    public String revisionText() {
        return revision.isPresent() ? Long.toString(revision.getAsLong()) : "-";
    }
}
