package kv.backend;

/** Whether a commit must be on stable storage before {@link WriteTx#commit(Durability)} returns. */
public enum Durability {
    /** The commit is fsynced before commit returns: it survives a crash of the process or the machine. */
    SYNC,
    /**
     * The commit is atomic and visible to new readers at once but may be lost on a crash (never torn:
     * after a crash the store holds some earlier committed state). For callers that can replay from
     * their own write-ahead log; {@link Backend#sync()} makes everything committed so far durable.
     */
    NO_SYNC
}
