package kv.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kv.backend.WriteTx;

/**
 * The physical part of a compaction: dropping from bucket {@code "key"} every revision at or below
 * the compact revision that no read at or after it can see. Works in batches of
 * {@link MvccConfig#compactionBatchLimit()} keys, each committed on its own (with whatever writes the
 * store's open backend transaction holds), so that applying writes waits for one batch at most; the last batch records the compaction as finished in
 * bucket {@code "meta"}. If the process dies before that, {@link MvccStore#open} finishes it.
 *
 * <p>Reads below the compact revision already fail when this job is handed out; running it changes
 * nothing a reader can see. Not thread-safe (run it on one thread); jobs of several compactions
 * may run one after another in any order. A job outlived by {@link MvccStore#restoreFrom} (the
 * store took over other content) finishes at its next step without touching the backend.
 */
public final class Compaction {
    private final MvccStore store;
    private final long rev;
    private final Set<Revision> keep;
    private final long content; // the store's content epoch this job was computed against
    private byte[] next = Revision.startOf(0);
    private boolean finished;

    Compaction(MvccStore store, long rev, Set<Revision> keep) {
        this.store = store;
        this.rev = rev;
        this.keep = keep;
        this.content = store.contentEpoch;
    }

    /** The compact revision. */
    public long revision() {
        return rev;
    }

    /** Whether every batch has run. */
    public boolean finished() {
        return finished;
    }

    /** Runs one batch (and commits it with the store's open batch); returns whether the compaction is now finished. */
    public boolean step() {
        if (finished) {
            return true;
        }
        int limit = store.config.compactionBatchLimit();
        store.writeLock.lock();
        try {
            store.checkUsable();
            if (content != store.contentEpoch) {
                // the store took over a snapshot since: its own compaction marks say what to finish
                finished = true;
                return true;
            }
            WriteTx tx = store.batchTx();
            try {
                List<byte[]> keys = new ArrayList<>(limit);
                tx.scan(MvccStore.KEY, next, Revision.startOf(rev + 1), (k, v) -> {
                    keys.add(k);
                    return keys.size() < limit;
                });
                for (byte[] k : keys) {
                    if (!keep.contains(Revision.fromBytes(k))) {
                        tx.delete(MvccStore.KEY, k);
                    }
                }
                if (keys.size() < limit) {
                    tx.put(MvccStore.META, MvccStore.FINISHED_COMPACT, new Revision(rev, 0).toBytes());
                } else {
                    Revision last = Revision.fromBytes(keys.getLast());
                    next = new Revision(last.main(), last.sub() + 1).toBytes();
                }
                finished = keys.size() < limit;
            } catch (RuntimeException e) {
                throw store.fail(e);
            }
            store.commitBatch();
            return finished;
        } finally {
            store.writeLock.unlock();
        }
    }

    /** Runs every remaining batch. */
    public void run() {
        boolean done = finished;
        while (!done) {
            done = step();
        }
    }
}
