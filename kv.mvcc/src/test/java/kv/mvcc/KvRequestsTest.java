package kv.mvcc;

import static kv.mvcc.Kv.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's request semantics, example by example. */
class KvRequestsTest {
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

    private static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    @Test
    void putVersionsAndPrevKv() {
        assertEquals(2, s.put(put("a", "1"), f.next()).getHeader().getRevision(), "the first change of a store is revision 2");
        PutResponse p = s.put(put("a", "2").toBuilder().setPrevKv(true).build(), f.next());
        assertEquals(3, p.getHeader().getRevision());
        assertEquals("1", p.getPrevKv().getValue().toStringUtf8());
        KeyValue kv = s.range(get("a")).getKvs(0);
        assertEquals(List.of(2L, 3L, 2L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()));
        s.deleteRange(del("a"), f.next());
        s.put(put("a", "3"), f.next());
        kv = s.range(get("a")).getKvs(0);
        assertEquals(List.of(5L, 5L, 1L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()), "a new generation");
        assertEquals("2", s.range(get("a").toBuilder().setRevision(3).build()).getKvs(0).getValue().toStringUtf8());
        assertEquals(0, s.range(get("a").toBuilder().setRevision(4).build()).getCount(), "deleted at 4");
    }

    @Test
    void ignoreValueAndLease() {
        s.lessor().grant(f.next(), 5, 100);
        s.put(put("a", "keep").toBuilder().setLease(5).build(), f.next());
        s.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).build(), f.next());
        KeyValue kv = s.range(get("a")).getKvs(0);
        assertEquals("keep", kv.getValue().toStringUtf8());
        assertEquals(0, kv.getLease(), "ignore_value alone drops the lease");
        s.put(put("a", "keep").toBuilder().setLease(5).build(), f.next());
        s.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("new")).setIgnoreLease(true).build(), f.next());
        kv = s.range(get("a")).getKvs(0);
        assertEquals(List.of("new", "5"), List.of(kv.getValue().toStringUtf8(), "" + kv.getLease()));
    }

    @Test
    void rangesLimitsCountsAndSorting() {
        for (String k : List.of("b", "a", "c", "d")) {
            s.put(put(k, "v" + k), f.next());
        }
        s.put(put("a", "v2"), f.next());
        assertEquals(List.of("a", "b", "c", "d"), keys(s.range(prefix("a"))));
        RangeResponse limited = s.range(prefix("a").toBuilder().setLimit(2).build());
        assertEquals(List.of("a", "b"), keys(limited));
        assertTrue(limited.getMore());
        assertEquals(4, limited.getCount());
        assertFalse(s.range(prefix("a").toBuilder().setLimit(4).build()).getMore());
        RangeResponse count = s.range(prefix("a").toBuilder().setCountOnly(true).build());
        assertEquals(4, count.getCount());
        assertEquals(0, count.getKvsCount());
        assertTrue(s.range(prefix("a").toBuilder().setKeysOnly(true).build()).getKvsList().stream().allMatch(kv -> kv.getValue().isEmpty()));
        assertEquals(List.of("d", "c", "b", "a"), keys(s.range(prefix("a").toBuilder().setSortOrder(RangeRequest.SortOrder.DESCEND).build())));
        assertEquals(List.of("b", "c", "d", "a"), keys(s.range(prefix("a").toBuilder().setSortTarget(RangeRequest.SortTarget.MOD).build())),
                "another target sorts ascending by default");
        assertEquals(List.of("a", "d"), keys(s.range(prefix("a").toBuilder().setSortTarget(RangeRequest.SortTarget.MOD)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(2).build())));
        assertEquals(List.of("c", "d"), keys(s.range(prefix("a").toBuilder().setMinModRevision(4).setMaxModRevision(5).build())));
        assertEquals(List.of("a", "b"), keys(s.range(prefix("a").toBuilder().setMaxCreateRevision(3).build())));
        assertEquals(List.of("c", "d"), keys(s.range(prefix("a").toBuilder().setMinCreateRevision(4).build())));
        assertEquals(List.of("a", "b"), keys(s.range(RangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("c")).build())));
        assertEquals(4, s.range(RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).build()).getCount(), "\\0..\\0 is everything");
        assertEquals(6, s.range(get("a")).getHeader().getRevision());
    }

    @Test
    void deleteRange() {
        for (String k : List.of("a", "a1", "a2", "b")) {
            s.put(put(k, "v"), f.next());
        }
        var d = s.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("b")).setPrevKv(true).build(), f.next());
        assertEquals(3, d.getDeleted());
        assertEquals(3, d.getPrevKvsCount());
        assertEquals(6, d.getHeader().getRevision());
        var none = s.deleteRange(del("zzz"), f.next());
        assertEquals(0, none.getDeleted());
        assertEquals(6, none.getHeader().getRevision(), "deleting nothing makes no revision");
        assertEquals(6, s.currentRevision());
    }

    @Test
    void txnIsOneRevisionAndSeesItsOwnWrites() {
        s.put(put("a", "1"), f.next());
        TxnResponse t = s.txn(TxnRequest.newBuilder().addCompare(versionIs("a", 1))
                .addSuccess(op(get("b")))
                .addSuccess(op(put("b", "1")))
                .addSuccess(op(put("c", "1")))
                .addSuccess(op(get("b")))
                .addSuccess(op(TxnRequest.newBuilder().addCompare(versionIs("b", 0)).addSuccess(op(put("d", "yes")))
                        .addFailure(op(put("d", "no"))).build()))
                .build(), f.next());
        assertTrue(t.getSucceeded());
        assertEquals(3, t.getHeader().getRevision());
        assertEquals(2, t.getResponses(0).getResponseRange().getHeader().getRevision(), "before its first change a txn reads at the old revision");
        assertEquals(0, t.getResponses(0).getResponseRange().getCount());
        assertEquals(1, t.getResponses(3).getResponseRange().getCount(), "reads see the txn's own writes");
        assertEquals(3, t.getResponses(3).getResponseRange().getHeader().getRevision());
        assertTrue(t.getResponses(4).getResponseTxn().getSucceeded(), "nested compares are evaluated before any op runs");
        assertEquals("yes", s.range(get("d")).getKvs(0).getValue().toStringUtf8());
        assertEquals(List.of(3L, 3L, 3L), s.range(prefix("b")).getKvsList().stream().map(KeyValue::getModRevision).toList());
        TxnResponse failed = s.txn(TxnRequest.newBuilder().addCompare(versionIs("a", 7)).addSuccess(op(put("x", "1")))
                .addFailure(op(get("a"))).build(), f.next());
        assertFalse(failed.getSucceeded());
        assertEquals(3, failed.getHeader().getRevision(), "a read-only branch makes no revision");
    }

    @Test
    void compares() {
        s.lessor().grant(f.next(), 3, 100);
        s.put(put("p/1", "x").toBuilder().setLease(3).build(), f.next());
        s.put(put("p/2", "y").toBuilder().setLease(3).build(), f.next());
        assertTrue(cmp(Compare.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0")).setTarget(Compare.CompareTarget.LEASE).setLease(3)));
        assertTrue(cmp(Compare.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.GREATER).setValue(bs("w"))));
        assertFalse(cmp(Compare.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.GREATER).setValue(bs("x"))), "every key in the range must match");
        assertFalse(cmp(Compare.newBuilder().setKey(bs("nope")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.NOT_EQUAL).setValue(bs("x"))), "a value compare on a missing key always fails");
        assertTrue(cmp(Compare.newBuilder().setKey(bs("nope")).setTarget(Compare.CompareTarget.CREATE).setCreateRevision(0)),
                "a missing key compares as a zero KeyValue");
        assertTrue(cmp(Compare.newBuilder().setKey(bs("p/1")).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.LESS).setModRevision(3)));
    }

    private boolean cmp(Compare.Builder c) {
        return s.txn(TxnRequest.newBuilder().addCompare(c).build(), f.next()).getSucceeded();
    }
}
