package example.kv.backend.memlog;

import kv.backend.BackendCorruptedException;

/** Applies the records of one log frame to a working copy, as the transaction that wrote them did. Stateless. */
final class Replay {
    private Replay() {}

    static void apply(Codec.In in, Changes into) {
        while (in.more()) {
            byte type = in.type();
            switch (type) {
                case Codec.CREATE -> into.createBucket(in.name());
                case Codec.DROP -> into.deleteBucket(in.name());
                case Codec.PUT -> {
                    String bucket = existing(into, in.name());
                    into.put(bucket, in.bytes(), in.bytes());
                }
                case Codec.DELETE -> into.delete(existing(into, in.name()), in.bytes());
                case Codec.DELETE_RANGE -> into.deleteRange(existing(into, in.name()), in.optionalBytes(), in.optionalBytes());
                default -> throw new BackendCorruptedException("memlog: unknown log record type " + type);
            }
        }
    }

    /** A logged write names a bucket that existed when it was written; anything else is damage. */
    private static String existing(Changes into, String bucket) {
        if (into.bucket(bucket) == null) {
            throw new BackendCorruptedException("memlog: the log writes to bucket \"" + bucket + "\" that does not exist");
        }
        return bucket;
    }
}
