package kv.server.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmResponse;
import kv.api.etcdserverpb.AlarmType;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.CompactionResponse;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.LeaseCheckpoint;
import kv.api.etcdserverpb.LeaseCheckpointRequest;
import kv.api.etcdserverpb.LeaseCheckpointResponse;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.auth.AuthInfo;
import kv.auth.AuthStore;
import kv.backend.Backend;
import kv.mvcc.MvccStore;
import kv.mvcc.lease.Checkpoint;
import kv.server.auth.Caller;
import kv.server.net.EventLoops;
import kv.server.node.RaftNode;
import kv.server.rpc.EtcdError;
import kv.server.serverpb.InternalRequest;

/**
 * One member as its clients see it: the etcd v3 operations, each either proposed through raft and
 * answered when applied, or (reads) served from the local store after a ReadIndex barrier. The gRPC
 * services and the JSON gateway are thin adapters over this class. Thread-safe.
 */
public final class Member {
    private final long memberId;
    private final long clusterId;
    private final RaftNode node;
    private final MvccStore store;
    private final RequestIds ids;
    private final int maxRequestBytes;
    private final RequestDeadlines deadlines;
    private final Backend backend;
    private final AuthStore auth;
    private final long quotaBytes;

    public Member(long memberId, long clusterId, RaftNode node, MvccStore store, Backend backend, AuthStore auth, long quotaBytes,
                  int maxRequestBytes, Duration requestTimeout) {
        this.auth = auth;
        this.memberId = memberId;
        this.clusterId = clusterId;
        this.node = node;
        this.store = store;
        this.backend = backend;
        this.quotaBytes = quotaBytes;
        this.backendSize = backend.sizeOnDisk();
        this.ids = new RequestIds(memberId, System.currentTimeMillis());
        this.maxRequestBytes = maxRequestBytes;
        this.deadlines = new RequestDeadlines(requestTimeout, System::nanoTime);
    }

    public long memberId() {
        return memberId;
    }

    public long clusterId() {
        return clusterId;
    }

    /** The backend's size as last measured (measuring walks files: not on every request). */
    private volatile long backendSize;

    /** Measures the backend's size for the quota check; called periodically (every 100 ms). */
    public void refreshBackendSize() {
        backendSize = backend.sizeOnDisk();
    }

    /** The local store, for reads that need no barrier (watch, hash, lease lookups). */
    public MvccStore store() {
        return store;
    }

    /**
     * Runs {@code work} where the store writes (the apply thread): commits, hashes and other work that
     * touches the store's open backend transaction.
     */
    public <T> CompletableFuture<T> onStoreThread(java.util.function.Supplier<T> work) {
        return node.onApplyThread(work);
    }

    /** The raft node, for status and leadership. */
    public RaftNode node() {
        return node;
    }

    /** Records remaining TTLs through raft so that a new leader does not restart long leases from full. */
    public CompletableFuture<LeaseCheckpointResponse> leaseCheckpoint(List<Checkpoint> checkpoints) {
        LeaseCheckpointRequest.Builder b = LeaseCheckpointRequest.newBuilder();
        checkpoints.forEach(c -> b.addCheckpoints(LeaseCheckpoint.newBuilder().setID(c.id()).setRemainingTTL(c.remainingTtl())));
        return propose(InternalRequest.newBuilder().setLeaseCheckpoint(b));
    }

    /** The header every response carries: cluster, member, raft term, and the given revision. */
    public ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId)
                .setRevision(revision).setRaftTerm(node.status().term()).build();
    }

    private ResponseHeader stamp(ResponseHeader fromStore) {
        return header(fromStore.getRevision());
    }

    /** The auth store, to check callers and serve auth reads. */
    public AuthStore auth() {
        return auth;
    }

    public CompletableFuture<RangeResponse> range(RangeRequest r) {
        if (auth.isEnabled()) {
            auth.check(Caller.current(), r);
        }
        if (r.getSerializable()) {
            try {
                RangeResponse res = store.range(r);
                return CompletableFuture.completedFuture(res.toBuilder().setHeader(stamp(res.getHeader())).build());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        // the read runs once the barrier passed: on the caller's event loop when it came from one,
        // not on the raft thread that completes the barrier (it would read and answer every
        // linearizable read in turn)
        Function<Object, RangeResponse> read = x -> {
            RangeResponse res = store.range(r);
            return res.toBuilder().setHeader(stamp(res.getHeader())).build();
        };
        CompletableFuture<Long> ready = node.readBarrier();
        Executor loop = EventLoops.current();
        // a barrier passed at once (a sole voter's) reads here, on the loop, with no hop
        return timeout(loop == null || ready.isDone() ? ready.thenApply(read) : ready.thenApplyAsync(read, loop));
    }

    public CompletableFuture<PutResponse> put(PutRequest r) {
        if (auth.isEnabled()) {
            auth.check(Caller.current(), r);
        }
        checkQuota(r.getSerializedSize());
        return this.<PutResponse>propose(InternalRequest.newBuilder().setPut(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest r) {
        if (auth.isEnabled()) {
            auth.check(Caller.current(), r);
        }
        return this.<DeleteRangeResponse>propose(InternalRequest.newBuilder().setDeleteRange(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    public CompletableFuture<TxnResponse> txn(TxnRequest r) {
        store.validateTxn(r);
        if (auth.isEnabled()) {
            auth.check(Caller.current(), r);
        }
        checkQuota(r.getSerializedSize());
        return this.<TxnResponse>propose(InternalRequest.newBuilder().setTxn(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    /** Admin operations (auth management, membership, alarms) need the root role once auth is on. */
    public void checkAdmin() {
        checkAdmin(Caller.current());
    }

    /** As {@link #checkAdmin()}, for a caller captured earlier (work continuing off the gRPC thread). */
    public void checkAdmin(AuthInfo who) {
        if (auth.isEnabled()) {
            auth.checkAdmin(who);
        }
    }

    public CompletableFuture<CompactionResponse> compact(CompactionRequest r) {
        return this.<CompactionResponse>propose(InternalRequest.newBuilder().setCompaction(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    public CompletableFuture<AlarmResponse> alarm(AlarmRequest r) {
        return this.<AlarmResponse>propose(InternalRequest.newBuilder().setAlarm(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    /**
     * etcd's backend quota: a request that would take the backend past it raises the NOSPACE alarm
     * (through raft, so the whole cluster refuses new data) and fails with "database space exceeded".
     */
    private void checkQuota(long requestBytes) {
        // etcd charges each key-value pair an overhead for its index entry and revision key
        long cost = requestBytes + 256;
        if (backendSize + cost <= quotaBytes) {
            return;
        }
        alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(memberId)
                .setAlarm(AlarmType.NOSPACE).build());
        throw EtcdError.NO_SPACE.asException();
    }

    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest r) {
        checkQuota(r.getSerializedSize());
        LeaseGrantRequest withId = r.getID() != 0 ? r : r.toBuilder().setID(ids.next() & Long.MAX_VALUE).build();
        return this.<LeaseGrantResponse>propose(InternalRequest.newBuilder().setLeaseGrant(withId))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest r) {
        return this.<LeaseRevokeResponse>propose(InternalRequest.newBuilder().setLeaseRevoke(r))
                .thenApply(res -> res.toBuilder().setHeader(stamp(res.getHeader())).build());
    }

    /**
     * Proposes one request and completes with its response once applied here. Too large a request
     * fails at once with etcd's "request is too large"; no answer within the request timeout fails
     * with "request timed out" (the entry may still be applied later, as with etcd).
     */
    public <T> CompletableFuture<T> propose(InternalRequest.Builder b) {
        long id = ids.next();
        b.getHeaderBuilder().setId(id);
        AuthInfo who = Caller.current();
        if (who != null) {
            // the applier checks again with these, as etcd does: a grant revoked in between is seen
            b.getHeaderBuilder().setUsername(who.username()).setAuthRevision(who.revision());
        }
        byte[] data = b.build().toByteArray();
        if (data.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.asException());
        }
        CompletableFuture<Object> applied = node.register(id);
        node.propose(id, data);
        return awaitApplied(id, applied);
    }

    /**
     * What a proposer waits for: the applied result (a refusal the applier returned is thrown), or
     * etcd's timeout; the waiter is dropped on failure either way.
     */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> awaitApplied(long id, CompletableFuture<Object> applied) {
        return deadlines.watch(applied).handle((result, err) -> {
            if (err != null) {
                node.forget(id);
                throw err instanceof CompletionException c ? c : new CompletionException(err);
            }
            if (result instanceof RuntimeException e) {
                throw e;
            }
            return (T) result;
        });
    }

    /**
     * Proposes a membership change carrying {@code record} (the member it adds or updates) and
     * completes with the member list once the change is applied here.
     */
    public CompletableFuture<List<kv.admin.clusterpb.Member>> proposeConfChange(kv.raft.raftpb.ConfChangeSingle change,
                                                                              kv.admin.clusterpb.Member record) {
        long id = ids.next();
        kv.server.serverpb.ConfChangeContext.Builder ctx = kv.server.serverpb.ConfChangeContext.newBuilder().setRequestId(id);
        if (record != null) {
            ctx.setMember(record);
        }
        kv.raft.raftpb.ConfChangeV2 cc = kv.raft.raftpb.ConfChangeV2.newBuilder().addChanges(change)
                .setContext(ctx.build().toByteString()).build();
        CompletableFuture<Object> applied = node.register(id);
        node.proposeConfChange(id, cc);
        return awaitApplied(id, applied);
    }

    private <T> CompletableFuture<T> timeout(CompletableFuture<T> f) {
        return deadlines.watch(f);
    }

    /** Fails the requests waiting longer than the request timeout with etcd's "request timed out" (run periodically). */
    public int expireRequests() {
        return deadlines.sweep();
    }
}
