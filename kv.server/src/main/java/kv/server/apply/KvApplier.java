package kv.server.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import kv.api.etcdserverpb.AlarmMember;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmResponse;
import kv.api.etcdserverpb.AlarmType;
import kv.api.etcdserverpb.LeaseCheckpoint;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.auth.AuthException;
import kv.auth.AuthInfo;
import kv.auth.AuthStore;
import kv.api.etcdserverpb.LeaseCheckpointResponse;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.backend.Backend;
import kv.mvcc.Compaction;
import kv.mvcc.MvccException;
import kv.mvcc.MvccStore;
import kv.mvcc.lease.LeaseInfo;
import java.util.List;
import kv.admin.clusterpb.Member;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.server.cluster.BackendSnapshots;
import kv.server.cluster.ClusterMembers;
import kv.server.cluster.MembershipApplier;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Snapshot;
import kv.server.node.Applied;
import kv.server.node.StateMachine;
import kv.server.serverpb.InternalRequest;

/**
 * Applies committed client requests to the MVCC store, in raft order, each with the index of its
 * entry (the store persists that index with the data, so a replay after a crash applies each entry
 * exactly once). Expected failures (a compacted revision, a missing lease) are the result the
 * client gets, not a failure of the member; anything else stops the member.
 */
public final class KvApplier implements StateMachine {
    private static final System.Logger LOG = System.getLogger(KvApplier.class.getName());

    private final MvccStore store;
    private final Backend backend;
    private final Alarms alarms;
    private final AuthStore auth;
    private final Executor compactions;
    private final ClusterMembers members;
    private final MembershipApplier membership;
    private final BackendSnapshots snapshots;

    public KvApplier(MvccStore store, Backend backend, Alarms alarms, AuthStore auth, Executor compactions,
                     ClusterMembers members, BackendSnapshots snapshots) {
        this.store = store;
        this.backend = backend;
        this.alarms = alarms;
        this.auth = auth;
        this.compactions = compactions;
        this.members = members;
        this.membership = new MembershipApplier(members, store);
        this.snapshots = snapshots;
    }

    @Override
    public long appliedIndex() {
        return store.appliedIndex();
    }

    @Override
    public Applied apply(Entry entry) {
        InternalRequest r;
        try {
            r = InternalRequest.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("entry " + entry.getIndex() + " is not a kv request: " + e.getMessage(), e);
        }
        long id = r.getHeader().getId();
        long index = entry.getIndex();
        try {
            recheckPermission(r);
            return new Applied(id, applyRequest(r, index));
        } catch (MvccException | AuthException | NoSpaceException | CorruptException e) {
            // an expected refusal: nothing changed, the entry still counts as applied
            store.applied(index);
            return new Applied(id, e);
        }
    }

    /**
     * etcd checks permissions again when applying, against the auth revision the proposer checked
     * at: a grant revoked in between fails the request ("revision of auth store is old"), and the
     * client retries with a fresh token.
     */
    private void recheckPermission(InternalRequest r) {
        String user = r.getHeader().getUsername();
        if (user.isEmpty() || !auth.isEnabled()) {
            return;
        }
        AuthInfo who = new AuthInfo(user, r.getHeader().getAuthRevision());
        switch (r.getRequestCase()) {
            case PUT -> auth.check(who, r.getPut());
            case DELETE_RANGE -> auth.check(who, r.getDeleteRange());
            case TXN -> auth.check(who, r.getTxn());
            default -> { }
        }
    }

    private Object applyRequest(InternalRequest r, long index) {
        if (alarms.noSpace() && addsData(r)) {
            throw new NoSpaceException();
        }
        if (alarms.corrupt() && changesData(r)) {
            throw new CorruptException();
        }
        return switch (r.getRequestCase()) {
            case ALARM -> alarm(r.getAlarm(), index);
            case PUT -> store.put(r.getPut(), index);
            case DELETE_RANGE -> store.deleteRange(r.getDeleteRange(), index);
            case TXN -> store.txn(r.getTxn(), index);
            case COMPACTION -> {
                Compaction job = store.compact(r.getCompaction(), index);
                if (r.getCompaction().getPhysical()) {
                    job.run();
                } else {
                    // one batch at a time between entries, on this thread (which owns the store's batch)
                    compactions.execute(new Runnable() {
                        @Override
                        public void run() {
                            if (!job.step()) {
                                compactions.execute(this);
                            }
                        }
                    });
                }
                yield store.compactionResponse();
            }
            case MEMBER_ATTRIBUTES -> {
                membership.apply(index, r.getMemberAttributes());
                yield Boolean.TRUE;
            }
            case LEASE_GRANT -> grant(r.getLeaseGrant(), index);
            case LEASE_REVOKE -> {
                store.lessor().revoke(index, r.getLeaseRevoke().getID());
                yield LeaseRevokeResponse.newBuilder().setHeader(header()).build();
            }
            case LEASE_CHECKPOINT -> {
                for (LeaseCheckpoint c : r.getLeaseCheckpoint().getCheckpointsList()) {
                    store.lessor().checkpoint(index, c.getID(), c.getRemainingTTL());
                }
                yield LeaseCheckpointResponse.newBuilder().setHeader(header()).build();
            }
            case AUTH_ENABLE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthEnable()));
            case AUTH_DISABLE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthDisable()));
            case AUTH_USER_ADD -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthUserAdd()));
            case AUTH_USER_DELETE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthUserDelete()));
            case AUTH_USER_CHANGE_PASSWORD -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthUserChangePassword()));
            case AUTH_USER_GRANT_ROLE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthUserGrantRole()));
            case AUTH_USER_REVOKE_ROLE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthUserRevokeRole()));
            case AUTH_ROLE_ADD -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthRoleAdd()));
            case AUTH_ROLE_DELETE -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthRoleDelete()));
            case AUTH_ROLE_GRANT_PERMISSION -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthRoleGrantPermission()));
            case AUTH_ROLE_REVOKE_PERMISSION -> store.applyAux(index, tx -> auth.apply(tx, r.getAuthRoleRevokePermission()));
            case AUTHENTICATE -> {
                store.applied(index);
                yield auth.authenticate(r.getAuthenticate().getName(), r.getAuthenticate().getSimpleToken(), index);
            }
            // every proposal carries a request: an entry without one is a broken log, not a client error
            case REQUEST_NOT_SET -> throw new IllegalStateException("entry " + index + " carries no request");
        };
    }

    /** What the CORRUPT alarm blocks, as etcd's corrupt applier: every change to keys and leases. */
    private static boolean changesData(InternalRequest r) {
        return switch (r.getRequestCase()) {
            case PUT, DELETE_RANGE, TXN, COMPACTION, LEASE_GRANT, LEASE_REVOKE -> true;
            default -> false;
        };
    }

    /** What the NOSPACE alarm blocks: puts (also inside a txn) and lease grants. */
    private static boolean addsData(InternalRequest r) {
        return switch (r.getRequestCase()) {
            case PUT, LEASE_GRANT -> true;
            case TXN -> hasPut(r.getTxn());
            default -> false;
        };
    }

    private static boolean hasPut(TxnRequest t) {
        for (RequestOp op : t.getSuccessList()) {
            if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) {
                return true;
            }
        }
        for (RequestOp op : t.getFailureList()) {
            if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) {
                return true;
            }
        }
        return false;
    }

    private AlarmResponse alarm(AlarmRequest a, long index) {
        AlarmResponse.Builder res = AlarmResponse.newBuilder().setHeader(header());
        switch (a.getAction()) {
            case GET -> res.addAllAlarms(alarms.list(a.getAlarm()));
            case ACTIVATE, DEACTIVATE -> {
                if (a.getAlarm() == AlarmType.NONE) {
                    break;
                }
                boolean changed = store.applyAux(index, tx -> a.getAction() == AlarmRequest.AlarmAction.ACTIVATE
                        ? alarms.activate(tx, a.getMemberID(), a.getAlarm())
                        : alarms.deactivate(tx, a.getMemberID(), a.getAlarm()));
                if (changed) {
                    LOG.log(Level.WARNING, "alarm {0} {1} for member {2}", a.getAlarm(),
                            a.getAction() == AlarmRequest.AlarmAction.ACTIVATE ? "raised" : "cleared", Long.toHexString(a.getMemberID()));
                    res.addAlarms(AlarmMember.newBuilder().setMemberID(a.getMemberID()).setAlarm(a.getAlarm()));
                }
            }
            case UNRECOGNIZED -> { }
        }
        if (a.getAction() != AlarmRequest.AlarmAction.ACTIVATE && a.getAction() != AlarmRequest.AlarmAction.DEACTIVATE
                || a.getAlarm() == AlarmType.NONE) {
            store.applied(index);
        }
        return res.build();
    }

    private LeaseGrantResponse grant(LeaseGrantRequest g, long index) {
        LeaseInfo l = store.lessor().grant(index, g.getID(), g.getTTL());
        return LeaseGrantResponse.newBuilder().setHeader(header()).setID(l.id()).setTTL(l.ttl()).build();
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(store.currentRevision()).build();
    }

    @Override
    public Applied applyConfChange(Entry entry, ConfChangeV2 change, ConfState state) {
        List<Member> after = membership.apply(entry.getIndex(), change);
        return new Applied(MembershipApplier.context(change.getContext()).getRequestId(), after);
    }

    /**
     * Replaces the store with the backend data that came with a leader's snapshot (kept by
     * {@link BackendSnapshots} until now), then everything read from the backend: auth, alarms, members.
     */
    @Override
    public void restore(Snapshot snapshot) {
        var meta = snapshot.getMetadata();
        if (store.appliedIndex() >= meta.getIndex()) {
            LOG.log(Level.INFO, "the store already holds raft snapshot {0} (applied {1})", meta.getIndex(), store.appliedIndex());
            return;
        }
        java.nio.file.Path file = snapshots.received(meta).orElseThrow(() -> new IllegalStateException(
                "the backend data of raft snapshot " + meta.getIndex() + " (term " + meta.getTerm() + ") is missing from the snap directory"));
        try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 20)) {
            store.restoreFrom(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        auth.recover();
        alarms.reload();
        members.load(backend);
        backend.sync();
        snapshots.discardUpTo(meta.getIndex());
        LOG.log(Level.INFO, "restored the store from raft snapshot {0}: revision {1}, applied index {2}", meta.getIndex(),
                store.currentRevision(), store.appliedIndex());
    }

    @Override
    public void sync() {
        store.commit(); // the store batches its backend writes: commit the open batch first
        backend.sync();
    }
}
