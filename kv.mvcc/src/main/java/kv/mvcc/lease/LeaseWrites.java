package kv.mvcc.lease;

import java.util.List;
import java.util.function.Consumer;
import kv.backend.WriteTx;

/**
 * How the {@link Lessor} persists: implemented by the MVCC store, which owns the backend's write
 * path. Each call is one atomic backend write transaction that also records the raft index as
 * applied.
 */
@FunctionalInterface
public interface LeaseWrites {
    /**
     * In one write transaction: deletes {@code keys} from the key space (all in one revision, with
     * their watch events), runs {@code changes} on the transaction (lease records in bucket
     * {@code "lease"}), records {@code index} as the applied raft index, commits.
     */
    void apply(long index, List<byte[]> keys, Consumer<WriteTx> changes);
}
