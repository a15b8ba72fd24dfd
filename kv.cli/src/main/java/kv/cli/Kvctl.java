package kv.cli;

import picocli.CommandLine.Command;

/** The root command: global flags (inherited by every subcommand) and the command tree. */
@Command(name = "kvctl", description = {"A simple command line client for kv and etcd.", "kvctl speaks etcd's v3 gRPC API and takes etcdctl 3.4's commands, flags, output",
                "formats and exit codes, so scripts can use either."},
        footer = {"  kvctl put foo bar", "  kvctl get foo -w json", "  kvctl --endpoints=10.0.0.1:2379,10.0.0.2:2379 member list -w table",
                "  ETCDCTL_ENDPOINTS=127.0.0.1:2379 kvctl endpoint health", "",
                "Every global flag can also be set with the environment variable ETCDCTL_<FLAG> (upper case, '-' as '_'),",
                "e.g. ETCDCTL_DIAL_TIMEOUT=3s; a flag on the command line wins.", "",
                "EXIT STATUS", "  0 success, 1 error, 2 bad connection, 3 invalid input, 4 unsupported feature,",
                "  5 interrupted, 6 I/O error, 128 bad arguments (the same values as etcdctl).", "",
                "OFFLINE COMMANDS (etcdutl's, on a stopped member's files; they never connect)",
                "  migrate --data-dir D --to ENGINE, hashkv --data-dir D, wal dump, jbolt check|stats FILE,",
                "  backend list, snapshot status FILE, snapshot restore FILE [--backend ENGINE].", "",
                "NOT IN THIS BUILD", "  defrag --data-dir (offline defragmentation)."})
final class Kvctl extends GlobalOptions implements Runnable {
    /**
     * The top-level commands, in the order help lists them. Not in the {@code @Command} annotation:
     * {@link CommandTree} builds only the one a run needs, since building picocli's model of every
     * command was most of kvctl's start-up time.
     */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(KvCommands.Get.class, KvCommands.Put.class, KvCommands.Del.class,
            TxnCommand.class, KvCommands.Compaction.class, WatchCommand.class, LeaseCommands.class, MemberCommands.class,
            EndpointCommands.class, MaintenanceCommands.Alarm.class, MaintenanceCommands.Defrag.class, MaintenanceCommands.Snapshot.class,
            MaintenanceCommands.MoveLeader.class, MakeMirrorCommand.class, AuthCommands.Auth.class, AuthCommands.User.class,
            AuthCommands.Role.class, LockCommands.Lock.class, LockCommands.Elect.class, CheckCommands.Check.class, VersionCommand.class,
            OfflineCommands.Migrate.class, OfflineCommands.HashKV.class, WalCommands.Group.class, OfflineCommands.Jbolt.class,
            OfflineCommands.Backend.class);

    /** The streams and environment of this run; set by {@link Main} before parsing. */
    Session session;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(session.out());
    }
}
