package kv.cli;

import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.LeaseKeepAliveRequest;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.v3electionpb.CampaignRequest;
import kv.api.v3electionpb.LeaderKey;
import kv.api.v3electionpb.LeaderRequest;
import kv.api.v3electionpb.LeaderResponse;
import kv.api.v3electionpb.ResignRequest;
import kv.api.v3lockpb.LockRequest;
import kv.api.v3lockpb.LockResponse;
import kv.api.v3lockpb.UnlockRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lock} and {@code elect}, on the server-side lock and election services, each held by a
 * session lease that a background thread keeps alive and that is revoked on the way out.
 * Both run until interrupted (Ctrl-C), or, for lock with a command, until the command ends.
 */
final class LockCommands {
    private LockCommands() {}

    /** A lease kept alive until closed, then revoked: etcd's concurrency session. */
    static final class LeaseSession implements AutoCloseable {
        private final EtcdClient client;
        final long lease;
        private final Thread keeper;
        private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();

        LeaseSession(EtcdClient client, long ttl) {
            this.client = client;
            this.lease = client.call(() -> client.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build())).getID();
            StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(client.channel()).leaseKeepAlive(new LeaseCommands.Collector<>(answers));
            long periodMs = Math.max(500, ttl * 1000 / 3);
            this.keeper = Thread.ofPlatform().daemon().name("kvctl-session").start(() -> {
                try {
                    while (true) {
                        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
                        Thread.sleep(periodMs);
                    }
                } catch (InterruptedException | RuntimeException e) {
                    requests.onCompleted();
                }
            });
        }

        @Override
        public void close() {
            keeper.interrupt();
            try {
                client.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
            } catch (io.grpc.StatusRuntimeException e) {
                // the lease may be gone already; it expires on its own otherwise
            }
        }
    }

    /** Blocks until this thread is interrupted; a process being stopped (SIGINT/SIGTERM) interrupts it. */
    static void awaitInterrupt() {
        Thread me = Thread.currentThread();
        Thread hook = new Thread(() -> {
            me.interrupt();
            try {
                me.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                Thread.sleep(Long.MAX_VALUE);
            }
        } catch (InterruptedException e) {
            // asked to stop: let the caller release what it holds
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what woke us
            }
        }
    }

    @Command(name = "lock", description = "Acquires a named lock",
            customSynopsis = "kvctl lock <lockname> [exec-command arg1 arg2 ...]",
            footer = {"  kvctl lock mylock                       (prints the lock key, holds it until Ctrl-C)",
                    "  kvctl lock mylock -- ./critical-section.sh", "",
                    "A command runs with ETCD_LOCK_KEY and ETCD_LOCK_REV in its environment; the lock is released when it ends."})
    static final class Lock extends CliCommand {
        @Option(names = "--ttl", defaultValue = "10", description = "timeout for session (default: ${DEFAULT-VALUE})")
        long ttl;

        @Override
        void run() throws Exception {
            if (args.isEmpty()) {
                throw CliException.badArgs("lock takes a lock name argument and an optional command to execute");
            }
            try (EtcdClient c = connect(); LeaseSession s = new LeaseSession(c, ttl)) {
                LockResponse locked = c.call(() -> c.lockBlocking()
                        .lock(LockRequest.newBuilder().setName(KvCommands.bytes(args.get(0))).setLease(s.lease).build()));
                try {
                    if (args.size() > 1) {
                        runHolding(locked, args.subList(1, args.size()));
                        return;
                    }
                    RangeResponse held = c.call(() -> c.kv().range(RangeRequest.newBuilder().setKey(locked.getKey()).build()));
                    if (held.getKvsCount() == 0) {
                        throw new CliException(ExitCode.ERROR, "lock lost on init");
                    }
                    printer().get(held, false);
                    printer().flush();
                    awaitInterrupt();
                } finally {
                    c.call(() -> c.lockBlocking().unlock(UnlockRequest.newBuilder().setKey(locked.getKey()).build()));
                }
            }
        }

        private void runHolding(LockResponse locked, List<String> command) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("ETCD_LOCK_KEY", locked.getKey().toStringUtf8());
            pb.environment().put("ETCD_LOCK_REV", Long.toString(locked.getHeader().getRevision()));
            int status = ChildProcess.run(pb, session());
            if (status != 0) {
                throw new CliException(ExitCode.ERROR, "exit status " + status);
            }
        }
    }

    @Command(name = "elect", description = "Observes and participates in leader election",
            customSynopsis = "kvctl elect <election-name> [proposal]",
            footer = {"  kvctl elect myelection candidate-1     (campaigns; prints the leader key once elected, resigns on Ctrl-C)",
                    "  kvctl elect -l myelection              (prints each new leader's proposal)"})
    static final class Elect extends CliCommand {
        @Option(names = {"-l", "--listen"}, arity = "0..1", description = "observation mode")
        boolean listen;

        @Override
        void run() throws Exception {
            if (args.isEmpty() || args.size() > 2) {
                throw CliException.badArgs("elect takes one election name argument and an optional proposal argument");
            }
            if (args.size() != 2 && !listen) {
                throw CliException.badArgs("no proposal argument but -l not set");
            }
            if (args.size() == 2 && listen) {
                throw CliException.badArgs("proposal given but -l is set");
            }
            try (EtcdClient c = connect()) {
                if (listen) {
                    observe(c);
                } else {
                    campaign(c);
                }
            }
        }

        private void observe(EtcdClient c) {
            Iterator<LeaderResponse> leaders = c.electionBlocking().observe(LeaderRequest.newBuilder().setName(KvCommands.bytes(args.get(0))).build());
            try {
                while (leaders.hasNext()) {
                    LeaderResponse l = leaders.next();
                    printer().get(RangeResponse.newBuilder().setHeader(l.getHeader()).addKvs(l.getKv()).setCount(1).build(), false);
                    printer().flush();
                }
            } catch (io.grpc.StatusRuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e.getStatus().getCode() == io.grpc.Status.Code.CANCELLED) {
                    return;
                }
            }
            throw new CliException(ExitCode.ERROR, "elect: observer lost");
        }

        private void campaign(EtcdClient c) {
            try (LeaseSession s = new LeaseSession(c, 60)) {
                LeaderKey leader = c.call(() -> c.electionBlocking().campaign(CampaignRequest.newBuilder().setName(KvCommands.bytes(args.get(0)))
                        .setLease(s.lease).setValue(KvCommands.bytes(args.get(1))).build())).getLeader();
                printer().get(c.call(() -> c.kv().range(RangeRequest.newBuilder().setKey(leader.getKey()).build())), false);
                printer().flush();
                awaitInterrupt();
                c.call(() -> c.electionBlocking().resign(ResignRequest.newBuilder().setLeader(leader).build()));
            }
        }
    }
}
