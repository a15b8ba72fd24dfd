package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Set;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every expected failure, with etcd's exact message, and that a failed request changes nothing. */
class ErrorsTest {
    @TempDir
    Path dir;
    StoreFixture f;
    MvccStore s;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir, MvccConfig.defaults().withMaxTxnOps(4), Engines.MEMORY);
        s = f.store;
        for (int i = 0; i < 5; i++) {
            s.put(put("k", "v" + i), f.next());
        }
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static void fails(String message, Executable e) {
        MvccException x = assertThrows(MvccException.class, e);
        assertEquals(message, x.getMessage());
    }

    @Test
    void revisions() {
        fails("mvcc: required revision is a future revision", () -> s.range(get("k").toBuilder().setRevision(7).build()));
        s.compact(4, f.next()).run();
        fails("mvcc: required revision has been compacted", () -> s.range(get("k").toBuilder().setRevision(3).build()));
        assertEquals(1, s.range(get("k").toBuilder().setRevision(4).build()).getCount());
        fails("mvcc: required revision has been compacted", () -> s.compact(4, f.next()));
        fails("mvcc: required revision has been compacted", () -> s.compact(3, f.next()));
        fails("mvcc: required revision is a future revision", () -> s.compact(7, f.next()));
        fails("mvcc: required revision has been compacted",
                () -> s.hashKv(kv.api.etcdserverpb.HashKVRequest.newBuilder().setRevision(3).build()));
        fails("mvcc: required revision is a future revision",
                () -> s.hashKv(kv.api.etcdserverpb.HashKVRequest.newBuilder().setRevision(7).build()));
    }

    @Test
    void puts() {
        fails("etcdserver: key not found", () -> s.put(PutRequest.newBuilder().setKey(bs("nope")).setIgnoreValue(true).build(), f.next()));
        fails("etcdserver: key not found", () -> s.put(PutRequest.newBuilder().setKey(bs("nope")).setIgnoreLease(true).build(), f.next()));
        fails("etcdserver: value is provided",
                () -> s.put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("x")).setIgnoreValue(true).build(), f.next()));
        fails("etcdserver: lease is provided",
                () -> s.put(PutRequest.newBuilder().setKey(bs("k")).setLease(5).setIgnoreLease(true).build(), f.next()));
        fails("etcdserver: requested lease not found", () -> s.put(put("k", "v").toBuilder().setLease(0x1234).build(), f.next()));
        fails("etcdserver: key is not provided", () -> s.put(put("", "v"), f.next()));
        fails("etcdserver: key is not provided", () -> s.range(get("")));
        fails("etcdserver: key is not provided", () -> s.deleteRange(del(""), f.next()));
        fails("etcdserver: invalid sort option", () -> s.range(get("k").toBuilder().setSortOrderValue(7).build()));
        fails("etcdserver: invalid sort option", () -> s.range(get("k").toBuilder().setSortTargetValue(9).build()));
        assertEquals(6, s.currentRevision(), "failed requests changed nothing (5 puts from revision 1)");
    }

    @Test
    void failedAppliesRecordTheirIndex() {
        long i = f.next();
        fails("etcdserver: key not found", () -> s.put(PutRequest.newBuilder().setKey(bs("nope")).setIgnoreValue(true).build(), i));
        assertEquals(i, s.appliedIndex());
        assertEquals(i, f.reopen().appliedIndex());
    }

    @Test
    void txnLimitsAndDuplicates() {
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 5; i++) {
            many.addSuccess(op(put("k" + i, "v")));
        }
        fails("etcdserver: too many operations in txn request", () -> s.txn(many.build(), f.next()));
        TxnRequest.Builder compares = TxnRequest.newBuilder();
        for (int i = 0; i < 5; i++) {
            compares.addCompare(versionIs("k", 1));
        }
        fails("etcdserver: too many operations in txn request", () -> s.txn(compares.build(), f.next()));
        // a nested txn's budget is what its parent left: 4 - 2
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(TxnRequest.newBuilder()
                .addSuccess(op(put("b", "1"))).addSuccess(op(put("c", "1"))).addSuccess(op(put("d", "1"))).build())).build();
        fails("etcdserver: too many operations in txn request", () -> s.txn(nested, f.next()));

        fails("etcdserver: duplicate key given in txn request",
                () -> s.txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(put("a", "2"))).build(), f.next()));
        fails("etcdserver: duplicate key given in txn request",
                () -> s.txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(del("a"))).build(), f.next()));
        fails("etcdserver: duplicate key given in txn request", () -> s.txn(TxnRequest.newBuilder().addFailure(op(put("b", "1")))
                .addFailure(op(DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("c")).build())).build(), f.next()));
        fails("etcdserver: duplicate key given in txn request", () -> s.txn(TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addSuccess(op(TxnRequest.newBuilder().addFailure(op(put("a", "2"))).build())).build(), f.next()));
        fails("etcdserver: duplicate key given in txn request", () -> s.txn(TxnRequest.newBuilder().addSuccess(op(del("a")))
                .addSuccess(op(TxnRequest.newBuilder().addSuccess(op(put("a", "2"))).build())).build(), f.next()));
        // the same key in a nested txn's then and else is fine (only one runs), and so is a "\0" range end (etcd's quirk)
        s.txn(TxnRequest.newBuilder().addSuccess(op(TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addFailure(op(put("a", "2"))).build())).build(), f.next());
        s.txn(TxnRequest.newBuilder().addSuccess(op(put("b", "1")))
                .addSuccess(op(DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(ALL).build())).build(), f.next());
        fails("etcdserver: key not found", () -> s.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build(), f.next()));
        fails("etcdserver: key is not provided", () -> s.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setTarget(Compare.CompareTarget.VERSION)).build(), f.next()));
    }

    @Test
    void txnChecksAlongTheBranchTaken() {
        long rev = s.currentRevision();
        fails("mvcc: required revision is a future revision", () -> s.txn(TxnRequest.newBuilder()
                .addSuccess(op(get("k").toBuilder().setRevision(rev + 1).build())).build(), f.next()));
        fails("etcdserver: key not found", () -> s.txn(TxnRequest.newBuilder()
                .addSuccess(op(PutRequest.newBuilder().setKey(bs("x")).setIgnoreValue(true).build())).build(), f.next()));
        fails("etcdserver: requested lease not found", () -> s.txn(TxnRequest.newBuilder()
                .addSuccess(op(put("x", "1").toBuilder().setLease(77).build())).build(), f.next()));
        // a bad op in the branch not taken is never checked
        s.txn(TxnRequest.newBuilder().addCompare(versionIs("k", 99))
                .addSuccess(op(put("x", "1").toBuilder().setLease(77).build())).addFailure(op(put("y", "1"))).build(), f.next());
        s.compact(4, f.next()).run();
        fails("mvcc: required revision has been compacted", () -> s.txn(TxnRequest.newBuilder()
                .addSuccess(op(get("k").toBuilder().setRevision(3).build())).build(), f.next()));
        assertEquals(rev + 1, s.currentRevision());
    }

    @Test
    void leasesAndWatches() {
        var l = s.lessor();
        l.grant(f.next(), 1, 10);
        fails("etcdserver: lease already exists", () -> l.grant(f.next(), 1, 10));
        fails("etcdserver: requested lease not found", () -> l.revoke(f.next(), 2));
        fails("etcdserver: requested lease not found", () -> l.timeToLive(2, false));
        fails("etcdserver: too large lease TTL", () -> l.grant(f.next(), 3, 9_000_000_001L));
        fails("not a primary lessor", () -> l.renew(1));
        try (WatchStream w = s.newWatchStream()) {
            w.watch(5, bs("a").toByteArray(), null, 0, Set.of(), false, false);
            fails("mvcc: duplicate watch ID provided on the WatchStream",
                    () -> w.watch(5, bs("b").toByteArray(), null, 0, Set.of(), false, false));
            fails("mvcc: watcher range is empty", () -> w.watch(0, bs("b").toByteArray(), bs("a").toByteArray(), 0, Set.of(), false, false));
        }
        assertEquals(RangeRequest.SortOrder.NONE, get("k").getSortOrder());
    }
}
