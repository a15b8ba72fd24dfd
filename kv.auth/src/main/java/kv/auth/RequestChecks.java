package kv.auth;

import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;

/** The per-request permission rules of etcd's authApplier, over {@link AuthStore#checkOp}. */
final class RequestChecks {
    private static final byte[] SINGLE_KEY = new byte[0];

    private RequestChecks() {}

    static void check(AuthStore store, AuthInfo who, RangeRequest r) {
        store.checkOp(who, r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), false);
    }

    static void check(AuthStore store, AuthInfo who, PutRequest r) {
        byte[] key = r.getKey().toByteArray();
        store.checkOp(who, key, SINGLE_KEY, true);
        if (r.getPrevKv()) {
            store.checkOp(who, key, SINGLE_KEY, false);
        }
    }

    static void check(AuthStore store, AuthInfo who, DeleteRangeRequest r) {
        byte[] key = r.getKey().toByteArray();
        byte[] end = r.getRangeEnd().toByteArray();
        if (r.getPrevKv()) {
            store.checkOp(who, key, end, false);
        }
        store.checkOp(who, key, end, true);
    }

    static void check(AuthStore store, AuthInfo who, TxnRequest r) {
        for (Compare c : r.getCompareList()) {
            store.checkOp(who, c.getKey().toByteArray(), c.getRangeEnd().toByteArray(), false);
        }
        for (RequestOp op : r.getSuccessList()) {
            check(store, who, op);
        }
        for (RequestOp op : r.getFailureList()) {
            check(store, who, op);
        }
    }

    private static void check(AuthStore store, AuthInfo who, RequestOp op) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> check(store, who, op.getRequestRange());
            case REQUEST_PUT -> check(store, who, op.getRequestPut());
            case REQUEST_DELETE_RANGE -> check(store, who, op.getRequestDeleteRange());
            case REQUEST_TXN -> check(store, who, op.getRequestTxn());
            case REQUEST_NOT_SET -> { } // an empty op touches no key
        }
    }
}
