package kv.cli;

import java.nio.file.Path;
import kv.admin.cluster.MemberIds;
import kv.admin.restore.RestoreException;
import kv.admin.restore.RestoreSpec;
import kv.admin.restore.SnapshotRestore;
import kv.backend.BackendLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvctl snapshot restore FILE}: etcdctl 3.4's flags, checks, messages and exit codes, over
 * kv.admin's {@link SnapshotRestore}. Writes a new member's data directory for kvd (never a running
 * member's); {@code --backend} picks the engine the restored member runs on. Prints nothing on
 * standard output (etcdctl logs to standard error): a summary line goes to standard error.
 */
@Command(name = "restore", description = {"Restores an etcd member snapshot to an etcd directory",
        "Checks the file's trailing SHA-256 (unless --skip-hash-check), then writes a NEW member's data directory for kvd:",
        "member/engine, the backend of --backend with the snapshot's keys and the member list of --initial-cluster, a WAL",
        "naming this member and its cluster, and a raft snapshot at index = number of members, term 1. Every member of the",
        "new cluster is restored from the same file with its own --name and --initial-advertise-peer-urls. Refuses an",
        "existing --data-dir (or --wal-dir); a failed restore leaves nothing behind."},
        customSynopsis = "kvctl snapshot restore <filename> [options]",
        footer = {"  kvctl snapshot restore backup.db --data-dir /var/lib/kv",
                "  kvctl snapshot restore backup.db --name m1 --initial-cluster m1=http://10.0.0.1:2380,m2=http://10.0.0.2:2380 \\",
                "      --initial-advertise-peer-urls http://10.0.0.1:2380 --initial-cluster-token prod --data-dir m1.kv",
                "  kvctl snapshot restore backup.db --data-dir r.kv --backend rocksdb"})
final class SnapshotRestoreCommand extends CliCommand {
    @Option(names = "--data-dir", description = "Path to the data directory", defaultValue = "")
    String dataDir;

    @Option(names = "--wal-dir", description = "Path to the WAL directory (use --data-dir if none given)", defaultValue = "")
    String walDir;

    @Option(names = "--initial-cluster", description = "Initial cluster configuration for restore bootstrap",
            defaultValue = RestoreSpec.DEFAULT_INITIAL_CLUSTER)
    String initialCluster;

    @Option(names = "--initial-cluster-token", description = "Initial cluster token for the etcd cluster during restore bootstrap",
            defaultValue = RestoreSpec.DEFAULT_TOKEN)
    String token;

    @Option(names = "--initial-advertise-peer-urls", description = "List of this member's peer URLs to advertise to the rest of the cluster",
            defaultValue = RestoreSpec.DEFAULT_PEER_URLS)
    String peerUrls;

    @Option(names = "--name", description = "Human-readable name for this member", defaultValue = RestoreSpec.DEFAULT_NAME)
    String name;

    @Option(names = "--skip-hash-check", arity = "0..1", description = "Ignore snapshot integrity hash value (required if copied from data directory)")
    boolean skipHashCheck;

    @Option(names = "--backend", description = "the storage engine the restored member runs on (see 'kvctl backend list')",
            defaultValue = BackendLocator.DEFAULT_ENGINE)
    String engine;

    @Option(names = "--plugin-dir", description = "directory of engine plug-ins (jars or folders of jars)")
    Path pluginDir;

    @Override
    void run() {
        if (args.size() != 1) {
            throw CliException.badArgs("snapshot restore requires exactly one argument");
        }
        try (Progress progress = Progress.start(session(), "Restoring snapshot")) {
            RestoreSpec spec = RestoreSpec.fromFlags(Path.of(args.get(0)), dataDir, walDir, name, initialCluster, token, peerUrls,
                    skipHashCheck, engine);
            SnapshotRestore.Result r = new SnapshotRestore(OfflineCommands.locator(pluginDir)).restore(spec, progress::bytes);
            progress.close();
            printer().errorLine("restored snapshot " + args.get(0) + " to " + spec.dataDir().root() + " (engine " + engine
                    + ", member " + MemberIds.hex(r.memberId()) + " of cluster " + MemberIds.hex(r.clusterId()) + ", wal-dir "
                    + r.walDir() + ")");
        } catch (RestoreException e) {
            throw new CliException(ExitCode.ERROR, e.getMessage());
        }
    }
}
