/**
 * kvctl: etcdctl 3.4's online commands, flags, output formats and exit codes, over kv's etcd v3
 * gRPC contract, and etcdutl's offline commands on a stopped member's files (engine migration,
 * hashkv, WAL dump, jbolt check/stats, engine list, snapshot status and restore) through kv.admin, kv.wal,
 * kv.backend and kv.backend.jbolt; other engines are bound as kv.backend's service providers. Exports nothing: the entry point is {@code kv.cli.Main}. The command package is
 * opened to picocli, which reads its annotations and sets its fields.
 */
module kv.cli {
    requires kv.api;
    requires info.picocli;
    requires io.grpc.netty.shaded;
    requires kv.admin;
    requires kv.wal;
    requires kv.backend;
    requires kv.backend.jbolt;

    opens kv.cli to info.picocli;
}
