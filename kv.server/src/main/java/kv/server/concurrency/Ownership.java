package kv.server.concurrency;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;
import kv.mvcc.WatchStream;
import kv.mvcc.WatchUpdate;
import kv.server.core.Member;

/**
 * The queue discipline behind etcd's Lock and Election services, run inside the server: each
 * contender writes {@code prefix + hex(lease)} under its lease; the owner is the key with the
 * lowest create revision; a contender waits until every key created before its own is deleted
 * (by unlock, resign, or the expiry of its lease). Blocking: call on a virtual thread.
 */
final class Ownership {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Member member;

    Ownership(Member member) {
        this.member = member;
    }

    /** The contender's key for {@code lease} under {@code prefix} ({@code name + "/"}). */
    static ByteString keyFor(ByteString prefix, long lease) {
        return prefix.concat(ByteString.copyFromUtf8(Long.toHexString(lease)));
    }

    static ByteString prefixOf(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** What {@link #enqueue} found: this contender's key, its create revision, the header of the write. */
    record Entry(ByteString key, long createRevision, ResponseHeader header) {}

    /**
     * Writes the contender's key with {@code value} under {@code lease} if it is not there yet
     * (if it is, the same lease already contends: keeps its place). Fails with etcd's lease errors.
     */
    Entry enqueue(ByteString prefix, long lease, ByteString value) {
        ByteString key = keyFor(prefix, lease);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
        TxnResponse r = member.txn(txn).join();
        long rev = r.getSucceeded() ? r.getHeader().getRevision()
                : r.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
        return new Entry(key, rev, r.getHeader());
    }

    /** The current owner under {@code prefix}: the key with the lowest create revision, or null. */
    KeyValue owner(ByteString prefix) {
        RangeResponse r = member.range(RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND).setLimit(1).build()).join();
        return r.getKvsCount() == 0 ? null : r.getKvs(0);
    }

    /**
     * Waits until no key under {@code prefix} has a create revision {@code <= maxCreateRevision}.
     *
     * @throws java.util.concurrent.CancellationException when {@code cancelled} turns true (the client left)
     */
    ResponseHeader awaitOlderGone(ByteString prefix, long maxCreateRevision, BooleanSupplier cancelled) throws InterruptedException {
        while (true) {
            RangeResponse r = member.range(RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                    .setMaxCreateRevision(maxCreateRevision).setSortTarget(RangeRequest.SortTarget.CREATE)
                    .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(1).build()).join();
            if (r.getKvsCount() == 0) {
                return r.getHeader();
            }
            awaitDelete(r.getKvs(0).getKey(), r.getHeader().getRevision() + 1, cancelled);
        }
    }

    /** Waits for a delete of {@code key} at or after revision {@code from}. */
    void awaitDelete(ByteString key, long from, BooleanSupplier cancelled) throws InterruptedException {
        try (WatchStream w = member.store().newWatchStream()) {
            w.watch(0, key.toByteArray(), null, from, java.util.Set.of(), false, false);
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("the client stopped waiting");
                }
                WatchUpdate u = w.poll(POLL);
                if (u == null) {
                    continue;
                }
                if (u.compactRevision() > 0) {
                    return; // history is gone: re-read the range, which tells the truth
                }
                for (Event e : u.events()) {
                    if (e.getType() == Event.EventType.DELETE) {
                        return;
                    }
                }
            }
        }
    }

    ResponseHeader delete(ByteString key) {
        return member.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build()).join().getHeader();
    }

    Member member() {
        return member;
    }
}
