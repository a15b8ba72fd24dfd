package kv.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.AlarmMember;
import kv.api.etcdserverpb.AlarmRequest;
import kv.api.etcdserverpb.AlarmResponse;
import kv.api.etcdserverpb.DefragmentRequest;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.MoveLeaderRequest;
import kv.api.etcdserverpb.SnapshotRequest;
import kv.api.etcdserverpb.SnapshotResponse;
import kv.api.etcdserverpb.StatusRequest;
import kv.api.etcdserverpb.StatusResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Cluster maintenance: alarm, defrag, snapshot save, move-leader. */
final class MaintenanceCommands {
    private MaintenanceCommands() {}

    @Command(name = "alarm", description = "Alarm related commands", subcommands = {AlarmList.class, AlarmDisarm.class},
            footer = {"  kvctl alarm list", "  kvctl alarm disarm"})
    static final class Alarm implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "list", description = "Lists all alarms", customSynopsis = "kvctl alarm list", footer = "  kvctl alarm list")
    static final class AlarmList extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("alarm list command accepts no arguments");
            }
            try (EtcdClient c = connect()) {
                printer().alarm(c.call(() -> c.maintenance().alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())));
            }
        }
    }

    @Command(name = "disarm", description = "Disarms all alarms", customSynopsis = "kvctl alarm disarm", footer = "  kvctl alarm disarm")
    static final class AlarmDisarm extends CliCommand {
        @Override
        void run() {
            if (!args.isEmpty()) {
                throw CliException.badArgs("alarm disarm command accepts no arguments");
            }
            try (EtcdClient c = connect()) {
                AlarmResponse active = c.call(() -> c.maintenance().alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build()));
                AlarmResponse.Builder disarmed = AlarmResponse.newBuilder();
                for (AlarmMember a : active.getAlarmsList()) {
                    AlarmResponse r = c.call(() -> c.maintenance().alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                            .setMemberID(a.getMemberID()).setAlarm(a.getAlarm()).build()));
                    disarmed.setHeader(r.getHeader()).addAllAlarms(r.getAlarmsList());
                }
                printer().alarm(disarmed.build());
            }
        }
    }

    @Command(name = "defrag", description = "Defragments the storage of the etcd members with given endpoints",
            customSynopsis = "kvctl defrag [options]",
            footer = {"  kvctl defrag", "  kvctl defrag --cluster", "",
                    "Defragmenting a data directory offline (--data-dir) is not in this build of kvctl."})
    static final class Defrag extends CliCommand {
        @Option(names = "--cluster", arity = "0..1", description = "use all endpoints from the cluster member list")
        boolean cluster;

        @Override
        void run() {
            int failures = 0;
            ClientConfig cfg = clientConfig();
            for (String ep : EndpointCommands.endpoints(this, cluster)) {
                try (EtcdClient c = EtcdClient.connect(cfg.forEndpoint(ep)); Progress p = Progress.start(session(), "Defragmenting " + ep)) {
                    c.call(() -> c.maintenance().defragment(DefragmentRequest.getDefaultInstance()));
                    p.close();
                    printer().line("Finished defragmenting etcd member[" + ep + "]");
                } catch (CliException e) {
                    printer().errorLine("Failed to defragment etcd member[" + ep + "] (" + e.getMessage() + ")");
                    failures++;
                }
            }
            if (failures > 0) {
                throw CliException.silent(ExitCode.ERROR);
            }
        }
    }

    @Command(name = "snapshot", description = "Manages etcd node snapshots", subcommands = {SnapshotSave.class, SnapshotRestoreCommand.class, SnapshotStatusCommand.class},
            footer = {"  kvctl snapshot save backup.db", "  kvctl snapshot status backup.db -w table",
                    "  kvctl snapshot restore backup.db --data-dir restored.kv"})
    static final class Snapshot implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "save", description = "Stores an etcd node backend snapshot to a given file", customSynopsis = "kvctl snapshot save <filename>",
            footer = {"  kvctl snapshot save backup.db", "  kvctl --endpoints=10.0.0.1:2379 snapshot save /backups/$(date +%%F).db", "",
                    "The snapshot is written to <filename>.part, checked against the SHA-256 the server appends, synced",
                    "and renamed, so <filename> never holds a partial snapshot. Without --command-timeout there is no time limit."})
    static final class SnapshotSave extends CliCommand {
        @Override
        void run() throws IOException {
            if (args.size() != 1) {
                throw CliException.badArgs("snapshot save expects one argument");
            }
            Path path = Path.of(args.get(0));
            Path part = Path.of(args.get(0) + ".part");
            boolean timed = commandTimeoutGiven();
            try (EtcdClient c = connect(); Progress progress = Progress.start(session(), "Downloading snapshot")) {
                MaintenanceGrpc.MaintenanceBlockingStub stub = MaintenanceGrpc.newBlockingStub(c.channel()).withWaitForReady();
                if (timed) {
                    stub = stub.withDeadlineAfter(global().commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
                }
                download(stub.snapshot(SnapshotRequest.getDefaultInstance()), part, progress);
                progress.close();
                Files.move(part, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                printer().line("Snapshot saved at " + path);
            } catch (StatusRuntimeException e) {
                Files.deleteIfExists(part);
                throw new CliException(ExitCode.INTERRUPTED, EtcdClient.describe(e.getStatus()));
            } catch (CliException e) {
                Files.deleteIfExists(part);
                throw e;
            }
        }

        /** etcdctl limits snapshot save only when the timeout was asked for explicitly. */
        private boolean commandTimeoutGiven() {
            for (var pr = spec.root().commandLine().getParseResult(); pr != null; pr = pr.subcommand()) {
                if (pr.hasMatchedOption("--command-timeout")) {
                    return true;
                }
            }
            return session().env().containsKey("ETCDCTL_COMMAND_TIMEOUT");
        }

        /** Streams the snapshot into {@code part}, checks the trailing SHA-256 etcd appends, fsyncs; returns the size. */
        private static long download(Iterator<SnapshotResponse> chunks, Path part, Progress progress) throws IOException {
            long size = 0;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                while (chunks.hasNext()) {
                    SnapshotResponse r = chunks.next();
                    r.getBlob().writeTo(out);
                    size += r.getBlob().size();
                    progress.bytes(size);
                }
                out.flush();
                ch.force(true);
            }
            verifySha256(part, size);
            return size;
        }

        /** etcd ends the stream with the SHA-256 of everything before it; a mismatch means a corrupt transfer. */
        private static void verifySha256(Path part, long size) throws IOException {
            if (size < 32) {
                throw new CliException(ExitCode.INTERRUPTED, "snapshot file is too small (" + size + " bytes)");
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
                long left = size - 32;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    int n = ch.read(buf);
                    buf.flip();
                    sha.update(buf);
                    left -= n;
                }
                java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(32);
                while (tail.hasRemaining()) {
                    ch.read(tail);
                }
                if (!Arrays.equals(sha.digest(), tail.array())) {
                    throw new CliException(ExitCode.INTERRUPTED, "snapshot file integrity check failed: sha256 mismatch");
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has SHA-256", e);
            }
        }
    }

    @Command(name = "move-leader", description = "Transfers leadership to another etcd cluster member.",
            customSynopsis = "kvctl move-leader <transferee-member-id>",
            footer = {"  kvctl --endpoints=10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379 move-leader 8e9e05c52164694d", "",
                    "The request must reach the current leader: give every member's endpoint."})
    static final class MoveLeader extends CliCommand {
        @Override
        void run() {
            if (args.size() != 1) {
                throw CliException.badArgs("move-leader command needs 1 argument");
            }
            long target;
            try {
                target = GoInts.parseUint(args.get(0), 16);
            } catch (IllegalArgumentException e) {
                throw CliException.badArgs(e.getMessage());
            }
            ClientConfig cfg = clientConfig();
            printer();
            for (String ep : cfg.endpoints()) {
                try (EtcdClient c = EtcdClient.connect(cfg.forEndpoint(ep))) {
                    StatusResponse s = c.call(() -> c.maintenance().status(StatusRequest.getDefaultInstance()));
                    if (s.getHeader().getMemberId() == s.getLeader()) {
                        var r = c.call(() -> c.maintenance().moveLeader(MoveLeaderRequest.newBuilder().setTargetID(target).build()));
                        printer().moveLeader(s.getLeader(), target, r);
                        return;
                    }
                }
            }
            throw CliException.badArgs("no leader endpoint given at [" + String.join(" ", cfg.endpoints()) + "]");
        }
    }
}
