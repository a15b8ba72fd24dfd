package kv.server.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import kv.api.KvVersion;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmResponse;
import kv.api.etcdserverpb.DefragmentRequest;
import kv.api.etcdserverpb.DefragmentResponse;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.HashKVResponse;
import kv.api.etcdserverpb.HashRequest;
import kv.api.etcdserverpb.HashResponse;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.MoveLeaderRequest;
import kv.api.etcdserverpb.MoveLeaderResponse;
import kv.api.etcdserverpb.SnapshotRequest;
import kv.api.etcdserverpb.SnapshotResponse;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.StatusResponse;
import kv.backend.Backend;
import kv.backend.BackendSnapshot;
import kv.raft.Status;
import kv.server.core.Member;

/**
 * etcd's Maintenance service: status, hashes, defragment and the snapshot stream. Snapshots are
 * kv's engine-neutral stream ({@link BackendSnapshot}) followed, as etcd's are, by the SHA-256 of
 * everything before it, so a truncated download is detected.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final int CHUNK = 32 * 1024;
    private static final int PAGE = 4096;

    /** Digests and counts what passes through. */
    private static final class CountingDigest extends DigestOutputStream {
        long count;

        CountingDigest(OutputStream out, MessageDigest md) {
            super(out, md);
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count += len;
        }
    }

    private final Member member;
    private final Backend backend;
    private final Path scratch;
    private final Executor blocking;
    private final kv.server.cluster.ClusterMembers members;

    public MaintenanceService(Member member, kv.server.cluster.ClusterMembers members, Backend backend, Path scratch, Executor blocking) {
        this.members = members;
        this.member = member;
        this.backend = backend;
        this.scratch = scratch;
        this.blocking = blocking;
    }

    @Override
    public void status(StatusRequest r, StreamObserver<StatusResponse> out) {
        Calls.answer(out, () -> {
            Status s = member.node().status();
            return CompletableFuture.completedFuture(StatusResponse.newBuilder()
                    .setHeader(member.header(member.store().currentRevision()))
                    .setVersion(KvVersion.ETCD_SERVER)
                    .setDbSize(backend.sizeOnDisk())
                    .setDbSizeInUse(backend.sizeInUse())
                    .setLeader(s.lead())
                    .setRaftIndex(s.commit())
                    .setRaftTerm(s.term())
                    .setRaftAppliedIndex(member.node().appliedIndex())
                    .setIsLearner(members.get(member.memberId()).map(kv.admin.clusterpb.Member::getIsLearner).orElse(false))
                    .build());
        });
    }

    @Override
    public void defragment(DefragmentRequest r, StreamObserver<DefragmentResponse> out) {
        // on the apply thread, after the store's open batch: an engine rebuilds its file with no write open
        Calls.answer(out, () -> member.onStoreThread(() -> {
            member.store().commit();
            backend.defragment();
            return DefragmentResponse.newBuilder().setHeader(member.header(member.store().currentRevision())).build();
        }));
    }

    @Override
    public void hash(HashRequest r, StreamObserver<HashResponse> out) {
        Calls.answer(out, () -> member.onStoreThread(() -> {
            HashResponse h = member.store().hash();
            return h.toBuilder().setHeader(member.header(h.getHeader().getRevision())).build();
        }));
    }

    @Override
    public void hashKV(HashKVRequest r, StreamObserver<HashKVResponse> out) {
        Calls.answer(out, () -> member.onStoreThread(() -> {
            HashKVResponse h = member.store().hashKv(r);
            return h.toBuilder().setHeader(member.header(h.getHeader().getRevision())).build();
        }));
    }

    @Override
    public void alarm(AlarmRequest r, StreamObserver<AlarmResponse> out) {
        Calls.answer(out, () -> member.alarm(r));
    }

    @Override
    public void moveLeader(MoveLeaderRequest r, StreamObserver<MoveLeaderResponse> out) {
        Calls.answer(out, () -> {
            if (member.node().softState().role() != kv.raft.StateRole.LEADER) {
                throw EtcdError.NOT_LEADER.asException();
            }
            long target = r.getTargetID();
            if (members.get(target).map(kv.admin.clusterpb.Member::getIsLearner).orElse(true)) {
                throw EtcdError.BAD_LEADER_TRANSFEREE.asException();
            }
            if (target != member.memberId()) {
                member.node().transferLeadership(target);
            }
            return awaitLeader(target, System.nanoTime() + LEADER_TRANSFER_TIMEOUT.toNanos())
                    .thenApply(x -> MoveLeaderResponse.newBuilder().setHeader(member.header(member.store().currentRevision())).build());
        });
    }

    /** etcd's bound on a leadership transfer before it answers "leader transfer took too long". */
    private static final java.time.Duration LEADER_TRANSFER_TIMEOUT = java.time.Duration.ofSeconds(5);

    /** Completes once {@code target} leads, as this member sees it; fails with etcd's timeout past {@code deadline}. */
    private CompletableFuture<Void> awaitLeader(long target, long deadline) {
        if (member.node().softState().lead() == target) {
            return CompletableFuture.completedFuture(null);
        }
        if (System.nanoTime() - deadline > 0) {
            return CompletableFuture.failedFuture(EtcdError.TIMEOUT_LEADER_TRANSFER.asException());
        }
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(x -> awaitLeader(target, deadline));
    }

    @Override
    public void snapshot(SnapshotRequest r, StreamObserver<SnapshotResponse> responses) {
        ServerCallStreamObserver<SnapshotResponse> out = (ServerCallStreamObserver<SnapshotResponse>) responses;
        blocking.execute(() -> {
            Path file = null;
            try {
                file = Files.createTempFile(scratch, "snapshot-", ".kvsnap");
                writeSnapshot(file);
                long size = Files.size(file);
                long sent = 0;
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[CHUNK];
                    for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                        while (!out.isReady() && !out.isCancelled()) {
                            Thread.sleep(5);
                        }
                        if (out.isCancelled()) {
                            return;
                        }
                        sent += n;
                        out.onNext(SnapshotResponse.newBuilder().setHeader(member.header(member.store().currentRevision()))
                                .setRemainingBytes(size - sent).setBlob(ByteString.copyFrom(buf, 0, n)).build());
                    }
                }
                out.onCompleted();
            } catch (IOException | RuntimeException e) {
                out.onError(Errors.toStatus(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.onError(Errors.toStatus(e));
            } finally {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a stray temp file in the scratch directory is harmless
                    }
                }
            }
        });
    }

    private void writeSnapshot(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file))) {
            CountingDigest d = new CountingDigest(raw, sha);
            // everything applied so far, not only what the last batch committed
            member.onStoreThread(() -> {
                member.store().commit();
                return null;
            }).join();
            BackendSnapshot.write(backend, d);
            // etcd clients expect a page-aligned image followed by its SHA-256 ("sha256 checksum not
            // found" otherwise); zero padding after the stream's trailer is ignored on restore
            long pad = (PAGE - d.count % PAGE) % PAGE;
            d.write(new byte[(int) pad]);
            d.flush();
            raw.write(sha.digest());
        }
    }
}
