package kv.cli;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import kv.api.etcdserverpb.LeaseGrantRequest;
import kv.api.etcdserverpb.LeaseGrantResponse;
import kv.api.etcdserverpb.LeaseGrpc;
import kv.api.etcdserverpb.LeaseKeepAliveRequest;
import kv.api.etcdserverpb.LeaseKeepAliveResponse;
import kv.api.etcdserverpb.LeaseLeasesRequest;
import kv.api.etcdserverpb.LeaseRevokeRequest;
import kv.api.etcdserverpb.LeaseRevokeResponse;
import kv.api.etcdserverpb.LeaseTimeToLiveRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lease grant|revoke|timetolive|list|keep-alive}. Lease ids are hexadecimal, as in etcdctl. */
@Command(name = "lease", description = "Lease related commands",
        subcommands = {LeaseCommands.Grant.class, LeaseCommands.Revoke.class, LeaseCommands.TimeToLive.class,
                LeaseCommands.ListLeases.class, LeaseCommands.KeepAlive.class},
        footer = {"  kvctl lease grant 60", "  kvctl put --lease=694d7a6f3c2b1a05 foo bar", "  kvctl lease timetolive --keys 694d7a6f3c2b1a05",
                "  kvctl lease keep-alive --once 694d7a6f3c2b1a05", "  kvctl lease revoke 694d7a6f3c2b1a05"})
final class LeaseCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static long leaseId(String arg) {
        try {
            return GoInts.parseInt(arg, 16);
        } catch (IllegalArgumentException e) {
            throw CliException.badArgs("bad lease ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    @Command(name = "grant", description = "Creates leases", customSynopsis = "kvctl lease grant <ttl>", footer = "  kvctl lease grant 60")
    static final class Grant extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("lease grant command needs TTL argument");
            }
            long ttl;
            try {
                ttl = GoInts.parseInt(args.get(0), 10);
            } catch (IllegalArgumentException e) {
                throw CliException.badArgs("bad TTL (" + e.getMessage() + ")");
            }
            try (EtcdClient c = connect()) {
                LeaseGrantResponse r;
                try {
                    r = c.call(() -> c.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()));
                } catch (CliException e) {
                    throw new CliException(ExitCode.ERROR, "failed to grant lease (" + e.getMessage() + ")");
                }
                printer().grant(r);
            }
        }
    }

    @Command(name = "revoke", description = "Revokes leases", customSynopsis = "kvctl lease revoke <leaseID>",
            footer = "  kvctl lease revoke 694d7a6f3c2b1a05")
    static final class Revoke extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("lease revoke command needs 1 argument");
            }
            long id = leaseId(args.get(0));
            try (EtcdClient c = connect()) {
                LeaseRevokeResponse r;
                try {
                    r = c.call(() -> c.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
                } catch (CliException e) {
                    throw new CliException(ExitCode.ERROR, "failed to revoke lease (" + e.getMessage() + ")");
                }
                printer().revoke(id, r);
            }
        }
    }

    @Command(name = "timetolive", description = "Get lease information", customSynopsis = "kvctl lease timetolive [options] <leaseID>",
            footer = {"  kvctl lease timetolive 694d7a6f3c2b1a05", "  kvctl lease timetolive --keys 694d7a6f3c2b1a05 -w json"})
    static final class TimeToLive extends CliCommand {
        @Option(names = "--keys", arity = "0..1", description = "Get keys attached to this lease")
        boolean keys;

        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("lease timetolive command needs lease ID as argument");
            }
            long id = leaseId(args.get(0));
            try (EtcdClient c = connect()) {
                var r = c.call(ExitCode.BAD_CONNECTION,
                        () -> c.lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(keys).build()));
                printer().timeToLive(r, keys);
            }
        }
    }

    @Command(name = "list", description = "List all active leases", customSynopsis = "kvctl lease list", footer = "  kvctl lease list")
    static final class ListLeases extends CliCommand {
        @Override
        void run() {
            try (EtcdClient c = connect()) {
                printer().leases(c.call(ExitCode.BAD_CONNECTION, () -> c.lease().leaseLeases(LeaseLeasesRequest.getDefaultInstance())));
            }
        }
    }

    @Command(name = "keep-alive", description = "Keeps leases alive (renew)", customSynopsis = "kvctl lease keep-alive [options] <leaseID>",
            footer = {"  kvctl lease keep-alive 694d7a6f3c2b1a05        (renews until interrupted or the lease is gone)",
                    "  kvctl lease keep-alive --once 694d7a6f3c2b1a05"})
    static final class KeepAlive extends CliCommand {
        @Option(names = "--once", arity = "0..1", description = "Resets the keep-alive time to its original value and exits immediately")
        boolean once;

        @Override
        void run() throws InterruptedException {
            if (args.size() != 1) {
                throw CliException.badArgs("lease keep-alive command needs lease ID as argument");
            }
            long id = leaseId(args.get(0));
            try (EtcdClient c = connect()) {
                BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
                StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(c.channel()).withWaitForReady()
                        .leaseKeepAlive(new Collector<>(answers));
                while (true) {
                    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
                    Object answer = answers.take();
                    if (answer instanceof Throwable t) {
                        throw new CliException(ExitCode.BAD_CONNECTION, EtcdClient.describe(io.grpc.Status.fromThrowable(t)));
                    }
                    LeaseKeepAliveResponse r = (LeaseKeepAliveResponse) answer;
                    if (r.getTTL() <= 0) {
                        if (once) {
                            throw new CliException(ExitCode.BAD_CONNECTION, "etcdserver: requested lease not found");
                        }
                        if (global().format() == kv.cli.output.OutputFormat.SIMPLE) {
                            printer().line(String.format("lease %016x expired or revoked.", id));
                        }
                        return;
                    }
                    printer().keepAlive(r);
                    printer().flush();
                    if (once) {
                        requests.onCompleted();
                        return;
                    }
                    // clientv3 renews a third of the way through the TTL
                    Thread.sleep(Math.max(500, Duration.ofSeconds(r.getTTL()).toMillis() / 3));
                }
            }
        }
    }

    /** Queues each answer (or the stream's failure) for the thread that sent the request. */
    record Collector<T>(BlockingQueue<Object> queue) implements StreamObserver<T> {
        @Override
        public void onNext(T value) {
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onCompleted() {
            queue.add(new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("stream closed")));
        }
    }
}
