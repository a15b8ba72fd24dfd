package kv.admin;

import kv.backend.Backend;
import kv.backend.BackendHash;
import kv.backend.Cursor;
import kv.backend.Durability;
import kv.backend.ReadTx;
import kv.backend.WriteTx;

/**
 * One copy of a whole store into an empty one: counts the source (for progress), then copies each
 * bucket in key order through write transactions bounded by the plan, committing NO_SYNC between
 * bounds and SYNC at the end. Reads one source transaction throughout, so the copy is of one state.
 * Single use; not thread-safe.
 */
final class Copy {
    private final Backend src;
    private final Backend dst;
    private final EngineMigration.Plan plan;
    private final EngineMigration.ProgressListener progress;
    private long totalEntries;
    private long totalBytes;
    private long entries;
    private long bytes;
    private long txEntries;
    private long txBytes;
    private WriteTx tx;

    /** A verified copy: the hash both stores have, and the payload bytes (keys plus values) copied. */
    record Outcome(BackendHash hash, long payloadBytes) {}

    Copy(Backend src, Backend dst, EngineMigration.Plan plan, EngineMigration.ProgressListener progress) {
        this.src = src;
        this.dst = dst;
        this.plan = plan;
        this.progress = progress;
    }

    /** Copies everything; returns the payload bytes copied. */
    long run() {
        try (ReadTx read = src.beginRead()) {
            requireEmptyTarget();
            count(read);
            tx = dst.beginWrite();
            try {
                for (String bucket : read.buckets()) {
                    copyBucket(read, bucket);
                }
                tx.commit(Durability.SYNC);
            } finally {
                tx.close();
            }
            dst.sync();
            progress.copied(new EngineMigration.Progress("", entries, totalEntries, bytes, totalBytes));
            return bytes;
        }
    }

    private void requireEmptyTarget() {
        try (ReadTx t = dst.beginRead()) {
            if (!t.buckets().isEmpty()) {
                throw new MigrationException(EngineMigration.OP + ": the copy in " + dst.directory() + " is not empty");
            }
        }
    }

    private void count(ReadTx read) {
        for (String bucket : read.buckets()) {
            read.scan(bucket, null, null, (k, v) -> {
                totalEntries++;
                totalBytes += k.length + v.length;
                return true;
            });
        }
    }

    private void copyBucket(ReadTx read, String bucket) {
        tx.createBucket(bucket);
        try (Cursor c = read.cursor(bucket)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                byte[] k = c.key();
                byte[] v = c.value();
                tx.put(bucket, k, v);
                entries++;
                bytes += k.length + v.length;
                txEntries++;
                txBytes += k.length + v.length;
                if (txEntries >= plan.maxTxEntries() || txBytes >= plan.maxTxBytes()) {
                    nextTx(bucket);
                }
            }
        }
    }

    /** Commits the bounded transaction, reports progress and begins the next one. */
    private void nextTx(String bucket) {
        tx.commit(Durability.NO_SYNC);
        tx = dst.beginWrite();
        txEntries = 0;
        txBytes = 0;
        progress.copied(new EngineMigration.Progress(bucket, entries, totalEntries, bytes, totalBytes));
    }
}
