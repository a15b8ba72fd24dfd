package kv.server.concurrency;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import kv.api.v3electionpb.CampaignRequest;
import kv.api.v3electionpb.CampaignResponse;
import kv.api.v3electionpb.ElectionGrpc;
import kv.api.v3electionpb.LeaderKey;
import kv.api.v3electionpb.LeaderRequest;
import kv.api.v3electionpb.LeaderResponse;
import kv.api.v3electionpb.ProclaimRequest;
import kv.api.v3electionpb.ProclaimResponse;
import kv.api.v3electionpb.ResignRequest;
import kv.api.v3electionpb.ResignResponse;
import kv.server.core.Member;
import kv.server.rpc.Calls;

/**
 * etcd's Election service: contenders campaign under a name with a lease; the oldest key leads and
 * its value is the proclamation; observers see every change of leader or proclamation. Errors are
 * etcd's: "election: not leader", "election: no leader", and a missing leader key.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
    private static final String NOT_LEADER = "election: not leader";
    private static final String NO_LEADER = "election: no leader";
    private static final String MISSING_LEADER = "\"leader\" field must be provided";

    private final Ownership ownership;
    private final Member member;
    private final Executor waiters;

    public ElectionService(Member member, Executor waiters) {
        this.ownership = new Ownership(member);
        this.member = member;
        this.waiters = io.grpc.Context.currentContextExecutor(waiters);
    }

    @Override
    public void campaign(CampaignRequest r, StreamObserver<CampaignResponse> out) {
        Context call = Context.current();
        Calls.answer(out, () -> CompletableFuture.supplyAsync(() -> {
            ByteString prefix = Ownership.prefixOf(r.getName());
            Ownership.Entry mine = ownership.enqueue(prefix, r.getLease(), r.getValue());
            LeaderKey leader = LeaderKey.newBuilder().setName(r.getName()).setKey(mine.key())
                    .setRev(mine.createRevision()).setLease(r.getLease()).build();
            try {
                proclaim(leader, r.getValue()); // a re-campaign with the same lease updates the value
                var header = ownership.awaitOlderGone(prefix, mine.createRevision() - 1, call::isCancelled);
                return CampaignResponse.newBuilder().setHeader(header).setLeader(leader).build();
            } catch (InterruptedException | CancellationException e) {
                ownership.delete(mine.key());
                throw new CancellationException("campaign abandoned");
            }
        }, waiters));
    }

    @Override
    public void proclaim(ProclaimRequest r, StreamObserver<ProclaimResponse> out) {
        Calls.answer(out, () -> CompletableFuture.supplyAsync(() -> {
            requireLeader(r.hasLeader());
            return ProclaimResponse.newBuilder().setHeader(proclaim(r.getLeader(), r.getValue()).getHeader()).build();
        }, waiters));
    }

    private TxnResponse proclaim(LeaderKey leader, ByteString value) {
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(stillLeader(leader))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(leader.getKey()).setValue(value).setLease(leader.getLease())))
                .build();
        TxnResponse res = member.txn(txn).join();
        if (!res.getSucceeded()) {
            throw Status.UNKNOWN.withDescription(NOT_LEADER).asRuntimeException();
        }
        return res;
    }

    @Override
    public void resign(ResignRequest r, StreamObserver<ResignResponse> out) {
        Calls.answer(out, () -> CompletableFuture.supplyAsync(() -> {
            requireLeader(r.hasLeader());
            TxnRequest txn = TxnRequest.newBuilder()
                    .addCompare(stillLeader(r.getLeader()))
                    .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(r.getLeader().getKey())))
                    .build();
            return ResignResponse.newBuilder().setHeader(member.txn(txn).join().getHeader()).build();
        }, waiters));
    }

    @Override
    public void leader(LeaderRequest r, StreamObserver<LeaderResponse> out) {
        Calls.answer(out, () -> CompletableFuture.supplyAsync(() -> {
            KeyValue kv = ownership.owner(Ownership.prefixOf(r.getName()));
            if (kv == null) {
                throw Status.UNKNOWN.withDescription(NO_LEADER).asRuntimeException();
            }
            return LeaderResponse.newBuilder().setHeader(member.header(member.store().currentRevision())).setKv(kv).build();
        }, waiters));
    }

    @Override
    public void observe(LeaderRequest r, StreamObserver<LeaderResponse> responses) {
        ServerCallStreamObserver<LeaderResponse> out = (ServerCallStreamObserver<LeaderResponse>) responses;
        waiters.execute(() -> {
            ByteString prefix = Ownership.prefixOf(r.getName());
            KeyValue last = null;
            try {
                while (!out.isCancelled()) {
                    KeyValue now = ownership.owner(prefix);
                    if (now != null && (last == null || !now.getKey().equals(last.getKey()) || now.getModRevision() != last.getModRevision())) {
                        out.onNext(LeaderResponse.newBuilder().setHeader(member.header(member.store().currentRevision())).setKv(now).build());
                        last = now;
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!out.isCancelled()) {
                    out.onError(kv.server.rpc.Errors.toStatus(e));
                }
            }
        });
    }

    private static Compare stillLeader(LeaderKey leader) {
        return Compare.newBuilder().setKey(leader.getKey()).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(leader.getRev()).build();
    }

    private static void requireLeader(boolean present) {
        if (!present) {
            throw Status.UNKNOWN.withDescription(MISSING_LEADER).asRuntimeException();
        }
    }
}
