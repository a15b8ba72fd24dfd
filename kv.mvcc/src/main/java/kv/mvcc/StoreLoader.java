package kv.mvcc;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kv.api.mvccpb.KeyValue;
import kv.backend.Backend;
import kv.backend.ReadTx;
import kv.backend.WriteTx;
import kv.mvcc.lease.Lessor;

/**
 * Builds a store's memory from its backend: the key index, the current, compact and applied
 * revisions, and the lease table, finishing a compaction the backend shows as scheduled but not
 * finished. {@link MvccStore#open} runs it once; {@link MvccStore#restoreFrom} again over new
 * content, with the index cleared and every reader held off. Stateless.
 */
final class StoreLoader {
    private static final System.Logger LOG = System.getLogger(MvccStore.class.getName());

    private StoreLoader() {}

    /** Deletes every bucket, in one commit (BackendSnapshot restores into an empty backend only). */
    static void clearBackend(Backend backend) {
        try (WriteTx tx = backend.beginWrite()) {
            for (String b : tx.buckets()) {
                tx.deleteBucket(b);
            }
            tx.commit();
        }
    }

    /** Rebuilds the in-memory state from the backend (the index must be empty). */
    static void load(MvccStore s) {
        Backend backend = s.backend;
        WriteTx tx = backend.beginWrite();
        tx.createBucket(MvccStore.KEY);
        tx.createBucket(MvccStore.META);
        tx.createBucket(Lessor.BUCKET);
        tx.commit();
        long scheduled;
        try (ReadTx rt = backend.beginRead()) {
            byte[] ci = rt.get(MvccStore.META, MvccStore.CONSISTENT_INDEX);
            s.appliedIndex = ci == null ? 0 : ByteBuffer.wrap(ci).getLong();
            byte[] fin = rt.get(MvccStore.META, MvccStore.FINISHED_COMPACT);
            s.compactMainRev = fin == null ? MvccStore.NEVER_COMPACTED : Revision.fromBytes(fin).main();
            byte[] sch = rt.get(MvccStore.META, MvccStore.SCHEDULED_COMPACT);
            scheduled = sch == null ? MvccStore.NEVER_COMPACTED : Revision.fromBytes(sch).main();
            s.lessor.restore(rt, restoreIndex(s, rt));
        }
        s.currentRev = Math.max(s.currentRev, s.compactMainRev);
        if (scheduled > s.compactMainRev) {
            LOG.log(Level.INFO, "finishing the compaction at revision {0}, scheduled but not finished", scheduled);
            s.compactMainRev = scheduled;
            new Compaction(s, scheduled, s.index.compact(scheduled)).run();
        }
    }

    /** Rebuilds the key index from bucket "key"; returns the keys each lease holds at the current revision. */
    private static Map<Long, List<byte[]>> restoreIndex(MvccStore s, ReadTx rt) {
        TreeIndex index = s.index;
        Map<String, Long> keyToLease = new HashMap<>();
        long[] max = {0};
        rt.scan(MvccStore.KEY, null, null, (k, v) -> {
            Revision rev = Revision.fromBytes(k);
            KeyValue kv = MvccStore.decode(v);
            byte[] key = kv.getKey().toByteArray();
            String ks = new String(key, StandardCharsets.ISO_8859_1);
            KeyIndex ki = index.restoring(key);
            if (Revision.isTombstone(k)) {
                if (ki != null) {
                    ki.tombstone(rev.main(), rev.sub());
                }
                keyToLease.remove(ks);
            } else {
                if (ki != null) {
                    ki.put(rev.main(), rev.sub());
                } else {
                    ki = new KeyIndex(key);
                    ki.restore(new Revision(kv.getCreateRevision(), 0), rev, kv.getVersion());
                    index.restored(ki);
                }
                if (kv.getLease() != Lessor.NO_LEASE) {
                    keyToLease.put(ks, kv.getLease());
                } else {
                    keyToLease.remove(ks);
                }
            }
            max[0] = Math.max(max[0], rev.main());
            return true;
        });
        // etcd's store begins at revision 1 (an empty store's revision), so the first change is 2:
        // clients such as the concurrency recipes compute "revision - 1" bounds and rely on it
        s.currentRev = Math.max(1, max[0]);
        Map<Long, List<byte[]>> byLease = new HashMap<>();
        keyToLease.forEach((k, lease) ->
                byLease.computeIfAbsent(lease, l -> new ArrayList<>()).add(k.getBytes(StandardCharsets.ISO_8859_1)));
        return byLease;
    }
}
