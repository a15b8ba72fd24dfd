package kv.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.backend.Bytes;

/**
 * The request checks etcd's gRPC layer makes before proposing (v3rpc's checkTxnRequest,
 * checkIntervals and friends), with etcd's errors and etcd's exact rules, quirks included: a
 * nested txn's operation budget is what its parent left, and a delete's range end {@code "\0"}
 * is an (empty) interval that conflicts with nothing. Stateless.
 */
final class TxnChecks {
    private TxnChecks() {}

    static void checkRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccError.EMPTY_KEY.exception();
        }
        if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
                || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
            throw MvccError.INVALID_SORT_OPTION.exception();
        }
    }

    static void checkPut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccError.EMPTY_KEY.exception();
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw MvccError.VALUE_PROVIDED.exception();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw MvccError.LEASE_PROVIDED.exception();
        }
    }

    static void checkDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccError.EMPTY_KEY.exception();
        }
    }

    /** Everything etcd checks of a txn before proposing it. */
    static void checkTxn(TxnRequest r, int maxTxnOps) {
        checkTxnRequest(r, maxTxnOps);
        checkIntervals(r.getSuccessList());
        checkIntervals(r.getFailureList());
    }

    private static void checkTxnRequest(TxnRequest r, int maxTxnOps) {
        int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (opc > maxTxnOps) {
            throw MvccError.TOO_MANY_OPS.exception();
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw MvccError.EMPTY_KEY.exception();
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - opc);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - opc);
        }
    }

    private static void checkOp(RequestOp op, int maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnRequest(op.getRequestTxn(), maxTxnOps);
            case REQUEST_NOT_SET -> throw MvccError.KEY_NOT_FOUND.exception();
        }
    }

    /** [begin, end) with etcd's "affine" order: an empty end is past every key. */
    private record Interval(byte[] begin, byte[] end) {
        static Interval point(byte[] k) {
            byte[] e = new byte[k.length + 1];
            System.arraycopy(k, 0, e, 0, k.length);
            return new Interval(k, e);
        }

        boolean holds(byte[] p) {
            return Bytes.compare(begin, p) <= 0 && (end.length == 0 || Bytes.compare(p, end) < 0);
        }
    }

    private record Found(Set<ByteString> puts, List<Interval> dels) {}

    /** Puts and deletes in one branch (and its nested txns) must not overlap: etcd's checkIntervals. */
    private static Found checkIntervals(List<RequestOp> reqs) {
        List<Interval> dels = new ArrayList<>();
        for (RequestOp op : reqs) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_DELETE_RANGE) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                byte[] k = d.getKey().toByteArray();
                dels.add(d.getRangeEnd().isEmpty() ? Interval.point(k) : new Interval(k, d.getRangeEnd().toByteArray()));
            }
        }
        Set<ByteString> puts = new HashSet<>();
        for (RequestOp op : reqs) {
            if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_TXN) {
                continue;
            }
            Found then = checkIntervals(op.getRequestTxn().getSuccessList());
            Found otherwise = checkIntervals(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts()) {
                if (puts.contains(k) || deleted(dels, k)) {
                    throw MvccError.DUPLICATE_KEY.exception();
                }
                puts.add(k);
            }
            for (ByteString k : otherwise.puts()) {
                // the same key in then and else is fine: only one of them runs
                if ((puts.contains(k) && !then.puts().contains(k)) || deleted(dels, k)) {
                    throw MvccError.DUPLICATE_KEY.exception();
                }
                puts.add(k);
            }
            dels.addAll(then.dels());
            dels.addAll(otherwise.dels());
        }
        for (RequestOp op : reqs) {
            if (op.getRequestCase() != RequestOp.RequestCase.REQUEST_PUT) {
                continue;
            }
            ByteString k = op.getRequestPut().getKey();
            if (puts.contains(k) || deleted(dels, k)) {
                throw MvccError.DUPLICATE_KEY.exception();
            }
            puts.add(k);
        }
        return new Found(puts, dels);
    }

    private static boolean deleted(List<Interval> dels, ByteString key) {
        byte[] k = key.toByteArray();
        for (Interval iv : dels) {
            if (iv.holds(k)) {
                return true;
            }
        }
        return false;
    }
}
