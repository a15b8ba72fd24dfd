package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.HashKVResponse;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh store at its edges, as observed on a real etcd 3.4 member with {@code etcdctl}: the store
 * begins at revision 1 (so clients' "revision - 1" bounds are never negative), the first change is
 * revision 2, it was never compacted (compact revision -1, so 0 and 1 can still be compacted), and
 * requests that change nothing stay at revision 1.
 */
class FreshStoreTest {
    /** etcd's HashKV of an empty store: CRC-32C of the bucket name "key" alone. */
    private static final int EMPTY_HASH = 1084519789;

    @TempDir
    Path dir;
    StoreFixture f;
    MvccStore s;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir);
        s = f.store;
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static MvccError error(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(MvccException.class, e).error();
    }

    private HashKVResponse hashKv(long rev) {
        return s.hashKv(HashKVRequest.newBuilder().setRevision(rev).build());
    }

    private long compact(long rev) {
        s.compact(CompactionRequest.newBuilder().setRevision(rev).build(), f.next()).run();
        return s.compactionResponse().getHeader().getRevision();
    }

    @Test
    void anEmptyStoreIsAtRevisionOne() {
        assertEquals(1, s.currentRevision());
        assertEquals(-1, s.compactRevision(), "never compacted");
        RangeResponse r = s.range(get("x"));
        assertEquals(1, r.getHeader().getRevision()); // etcdctl get x -w json: "revision":1
        assertEquals(0, r.getCount());
        assertEquals(1, s.range(get("x").toBuilder().setRevision(1).build()).getHeader().getRevision(), "get --rev=1");
        assertEquals(1, s.range(get("x").toBuilder().setRevision(0).build()).getHeader().getRevision(), "get --rev=0: current");
        assertEquals(MvccError.FUTURE_REVISION, error(() -> s.range(get("x").toBuilder().setRevision(2).build())), "get --rev=2");
        assertEquals(1, f.reopen().currentRevision(), "still 1 after a restart");
        assertEquals(-1, f.store.compactRevision());
    }

    @Test
    void theFirstChangeIsRevisionTwo() {
        assertEquals(2, s.put(put("x", "a"), f.next()).getHeader().getRevision());
        KeyValue kv = s.range(get("x")).getKvs(0);
        assertEquals(List.of(2L, 2L, 1L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()));
        assertEquals(0, s.range(get("x").toBuilder().setRevision(1).build()).getCount(), "revision 1 is the empty store");
        assertEquals(2, f.reopen().currentRevision());
    }

    @Test
    void requestsThatChangeNothingStayAtRevisionOne() {
        assertEquals(1, s.deleteRange(del("x"), f.next()).getHeader().getRevision(), "del x of a missing key");
        TxnResponse readOnly = s.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("x")).setTarget(Compare.CompareTarget.CREATE).setCreateRevision(0))
                .addSuccess(op(get("x"))).build(), f.next());
        assertTrue(readOnly.getSucceeded());
        assertEquals(1, readOnly.getHeader().getRevision());
        assertEquals(1, readOnly.getResponses(0).getResponseRange().getHeader().getRevision());
        s.lessor().grant(f.next(), 7, 100);
        s.lessor().revoke(f.next(), 7);
        assertEquals(1, s.currentRevision(), "granting and revoking a lease without keys");
        TxnResponse put = s.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("x")).setTarget(Compare.CompareTarget.VALUE).setValue(bs("a")))
                .addFailure(op(put("x", "1"))).build(), f.next());
        assertFalse(put.getSucceeded(), "a value compare on a missing key fails");
        assertEquals(2, put.getHeader().getRevision(), "the else branch's put is the first change");
    }

    @Test
    void hashKvOfAnEmptyStore() {
        for (long rev : new long[] {0, 1}) {
            HashKVResponse h = hashKv(rev);
            assertEquals(EMPTY_HASH, h.getHash(), "endpoint hashkv --rev=" + rev);
            assertEquals(-1, h.getCompactRevision());
            assertEquals(1, h.getHeader().getRevision());
        }
        assertEquals(MvccError.FUTURE_REVISION, error(() -> hashKv(2)));
    }

    @Test
    void compactingRevisionZeroThenOne() {
        assertEquals(1, compact(0), "compaction 0 on a fresh store succeeds");
        assertEquals(0, s.compactRevision());
        assertEquals(MvccError.COMPACTED, error(() -> s.compact(0, f.next())), "compaction 0 again");
        assertEquals(1, compact(1));
        assertEquals(MvccError.COMPACTED, error(() -> s.compact(1, f.next())), "compaction 1 again");
        assertEquals(MvccError.FUTURE_REVISION, error(() -> s.compact(2, f.next())), "compaction 2");
        assertEquals(1, s.range(get("x").toBuilder().setRevision(1).build()).getHeader().getRevision(),
                "the compact revision itself can still be read");
        HashKVResponse h = hashKv(0);
        assertEquals(List.of(EMPTY_HASH, 1L, 1L), List.of(h.getHash(), h.getCompactRevision(), h.getHeader().getRevision()));
        MvccStore reopened = f.reopen();
        assertEquals(List.of(1L, 1L), List.of(reopened.currentRevision(), reopened.compactRevision()));
    }

    @Test
    void compactingRevisionOneDirectly() {
        assertEquals(1, compact(1));
        assertEquals(MvccError.COMPACTED, error(() -> s.compact(0, f.next())));
        assertEquals(2, s.put(put("x", "a"), f.next()).getHeader().getRevision());
    }

    @Test
    void watchingFromRevisionOneSeesTheFirstChange() {
        compact(1); // watch --rev=1 works even when revision 1 is the compact revision
        try (WatchStream w = s.newWatchStream()) {
            long fromOne = w.watch(0, bs("x").toByteArray(), null, 1, Set.of(), false, false);
            long fromNow = w.watch(0, bs("x").toByteArray(), null, 0, Set.of(), false, false);
            s.syncWatchers();
            s.put(put("x", "a"), f.next());
            s.syncWatchers();
            java.util.Map<Long, WatchUpdate> got = new java.util.HashMap<>();
            for (WatchUpdate u = w.poll(); u != null; u = w.poll()) {
                assertEquals(null, got.put(u.watchId(), u), "one update per watcher");
            }
            assertEquals(Set.of(fromOne, fromNow), got.keySet());
            for (WatchUpdate u : got.values()) {
                assertEquals(0, u.compactRevision());
                assertEquals(2, u.revision());
                KeyValue kv = u.events().getFirst().getKv();
                assertEquals(List.of(2L, 2L), List.of(kv.getCreateRevision(), kv.getModRevision()));
            }
        }
    }
}
