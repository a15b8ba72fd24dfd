package kv.mvcc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.ResponseOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import kv.backend.Bytes;
import kv.mvcc.lease.Lessor;

/**
 * etcd's apply layer over the store: Range with its sorting, filtering and limits, Put with
 * ignore_value/ignore_lease/prev_kv, DeleteRange with prev_kv, and Txn (compares evaluated for the
 * whole nest first, then checks, then one branch applied in one revision). Stateless apart from the
 * store; thread-safety as the store's.
 */
final class KvRequests {
    private final MvccStore store;

    KvRequests(MvccStore store) {
        this.store = store;
    }

    /** A source of ranges: the store at its current revision, or a write in progress. */
    @FunctionalInterface
    private interface Reader {
        MvccStore.Ranged range(byte[] key, byte[] end, long rev, long limit, boolean countOnly);
    }

    RangeResponse range(RangeRequest r) {
        TxnChecks.checkRange(r);
        return range(store::range, r);
    }

    PutResponse put(PutRequest r, long index) {
        TxnChecks.checkPut(r);
        return write(index, w -> {
            if (r.getLease() != Lessor.NO_LEASE && !store.lessor.exists(r.getLease())) {
                throw MvccError.LEASE_NOT_FOUND.exception();
            }
            return put(w, r);
        });
    }

    DeleteRangeResponse deleteRange(DeleteRangeRequest r, long index) {
        TxnChecks.checkDelete(r);
        return write(index, w -> deleteRange(w, r));
    }

    void validateTxn(TxnRequest r) {
        TxnChecks.checkTxn(r, store.config.maxTxnOps());
    }

    TxnResponse txn(TxnRequest r, long index) {
        validateTxn(r);
        return write(index, w -> {
            List<Boolean> path = new ArrayList<>();
            comparePath(w, r, path);
            checkRequests(r, path, new int[] {0}, op -> checkPutInTxn(w, op));
            checkRequests(r, path, new int[] {0}, op -> checkRangeInTxn(w, op));
            TxnResponse.Builder b = applyTxn(w, r, path, new int[] {0});
            return b.setHeader(MvccStore.header(w.rev())).build();
        });
    }

    private <T> T write(long index, Function<StoreWrite, T> body) {
        try (StoreWrite w = store.beginWrite(index)) {
            T result;
            try {
                result = body.apply(w);
            } catch (MvccException e) {
                if (!w.changed()) {
                    w.end(); // the entry is applied even though it failed: record its index
                }
                throw e;
            }
            w.end();
            return result;
        }
    }

    private static byte[] rangeEnd(com.google.protobuf.ByteString end) {
        if (end.isEmpty()) {
            return null;
        }
        if (end.size() == 1 && end.byteAt(0) == 0) {
            return new byte[0]; // "\0": every key from key on
        }
        return end.toByteArray();
    }

    private static RangeResponse range(Reader rd, RangeRequest r) {
        long limit = r.getLimit();
        if (r.getSortOrder() != RangeRequest.SortOrder.NONE || r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0) {
            limit = 0; // sort and filter everything, cut afterwards
        }
        if (limit > 0) {
            limit++; // one more tells whether there is more
        }
        MvccStore.Ranged rr = rd.range(r.getKey().toByteArray(), rangeEnd(r.getRangeEnd()), r.getRevision(), limit,
                r.getCountOnly());
        List<KeyValue> kvs = new ArrayList<>(rr.kvs());
        if (r.getMaxModRevision() != 0) kvs.removeIf(kv -> kv.getModRevision() > r.getMaxModRevision());
        if (r.getMinModRevision() != 0) kvs.removeIf(kv -> kv.getModRevision() < r.getMinModRevision());
        if (r.getMaxCreateRevision() != 0) kvs.removeIf(kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
        if (r.getMinCreateRevision() != 0) kvs.removeIf(kv -> kv.getCreateRevision() < r.getMinCreateRevision());
        sort(kvs, r);
        boolean more = false;
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            more = true;
        }
        RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(MvccStore.header(rr.rev())).setCount(rr.count())
                .setMore(more);
        for (KeyValue kv : kvs) {
            b.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return b.build();
    }

    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        RangeRequest.SortTarget target = r.getSortTarget();
        if (target != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND; // sorting by anything but the key defaults to ascending
        } else if (target == RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.ASCEND) {
            order = RangeRequest.SortOrder.NONE; // already in key order
        }
        if (order == RangeRequest.SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> c = switch (target) {
            case KEY, UNRECOGNIZED -> (a, b) -> Bytes.compare(a.getKey().toByteArray(), b.getKey().toByteArray());
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> (a, b) -> Bytes.compare(a.getValue().toByteArray(), b.getValue().toByteArray());
        };
        kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
    }

    private static PutResponse put(StoreWrite w, PutRequest r) {
        byte[] key = r.getKey().toByteArray();
        byte[] value = r.getValue().toByteArray();
        long lease = r.getLease();
        KeyValue prev = null;
        if (r.getIgnoreValue() || r.getIgnoreLease() || r.getPrevKv()) {
            List<KeyValue> kvs = w.range(key, null, 0, 0, false).kvs();
            prev = kvs.isEmpty() ? null : kvs.getFirst();
        }
        if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
            throw MvccError.KEY_NOT_FOUND.exception(); // ignore_value/ignore_lease need the key to exist
        }
        if (r.getIgnoreValue()) {
            value = prev.getValue().toByteArray();
        }
        if (r.getIgnoreLease()) {
            lease = prev.getLease();
        }
        long rev = w.put(key, value, lease);
        PutResponse.Builder b = PutResponse.newBuilder().setHeader(MvccStore.header(rev));
        if (r.getPrevKv() && prev != null) {
            b.setPrevKv(prev);
        }
        return b.build();
    }

    private static DeleteRangeResponse deleteRange(StoreWrite w, DeleteRangeRequest r) {
        byte[] key = r.getKey().toByteArray();
        byte[] end = rangeEnd(r.getRangeEnd());
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder();
        if (r.getPrevKv()) {
            b.addAllPrevKvs(w.range(key, end, 0, 0, false).kvs());
        }
        long n = w.deleteRange(key, end);
        return b.setDeleted(n).setHeader(MvccStore.header(w.rev())).build();
    }

    // ---- txn ----

    /** Evaluates the compares of {@code r} and of every txn nested in the branch taken, depth first, before any op runs. */
    private static void comparePath(StoreWrite w, TxnRequest r, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : r.getCompareList()) {
            if (!compare(w, c)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
                comparePath(w, op.getRequestTxn(), path);
            }
        }
    }

    private static boolean compare(StoreWrite w, Compare c) {
        List<KeyValue> kvs;
        try {
            kvs = w.range(c.getKey().toByteArray(), rangeEnd(c.getRangeEnd()), 0, 0, false).kvs();
        } catch (MvccException e) {
            return false;
        }
        if (kvs.isEmpty()) {
            // a missing key has no value to compare (nil and empty are the same in gRPC): always false
            return c.getTarget() != Compare.CompareTarget.VALUE && compareKv(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!compareKv(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compareKv(Compare c, KeyValue kv) {
        int result = switch (c.getTarget()) {
            case VALUE -> Integer.signum(Bytes.compare(kv.getValue().toByteArray(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue().toByteArray() : new byte[0]));
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            case UNRECOGNIZED -> 0;
        };
        return switch (c.getResult()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            case UNRECOGNIZED -> true;
        };
    }

    /** Runs {@code check} on every non-txn op along the branches taken, recursing into nested txns. */
    private static void checkRequests(TxnRequest r, List<Boolean> path, int[] at, java.util.function.Consumer<RequestOp> check) {
        boolean ok = path.get(at[0]++);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
                checkRequests(op.getRequestTxn(), path, at, check);
            } else {
                check.accept(op);
            }
        }
    }

    private void checkPutInTxn(StoreWrite w, RequestOp op) {
        if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_PUT) {
            return;
        }
        PutRequest p = op.getRequestPut();
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && w.range(p.getKey().toByteArray(), null, 0, 0, false).kvs().isEmpty()) {
            throw MvccError.KEY_NOT_FOUND.exception();
        }
        if (p.getLease() != Lessor.NO_LEASE && !store.lessor.exists(p.getLease())) {
            throw MvccError.LEASE_NOT_FOUND.exception();
        }
    }

    private static void checkRangeInTxn(StoreWrite w, RequestOp op) {
        if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_RANGE) {
            return;
        }
        long rev = op.getRequestRange().getRevision();
        if (rev == 0) {
            return;
        }
        if (rev > w.readRev()) {
            throw MvccError.FUTURE_REVISION.exception();
        }
        if (rev < w.compactRev()) {
            throw MvccError.COMPACTED.exception();
        }
    }

    private static TxnResponse.Builder applyTxn(StoreWrite w, TxnRequest r, List<Boolean> path, int[] at) {
        boolean ok = path.get(at[0]++);
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder rb = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> rb.setResponseRange(range(w::range, op.getRequestRange()));
                case REQUEST_PUT -> rb.setResponsePut(put(w, op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> rb.setResponseDeleteRange(deleteRange(w, op.getRequestDeleteRange()));
                case REQUEST_TXN -> rb.setResponseTxn(applyTxn(w, op.getRequestTxn(), path, at)
                        .setHeader(kv.api.etcdserverpb.ResponseHeader.getDefaultInstance()));
                case REQUEST_NOT_SET -> throw new IllegalStateException("validated txn holds an empty op");
            }
            b.addResponses(rb);
        }
        return b;
    }
}
