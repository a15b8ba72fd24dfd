/**
 * kvctl: etcdctl 3.4's online commands, flags, output formats and exit codes, over kv's etcd v3
 * gRPC contract. Exports nothing: the entry point is {@code kv.cli.Main}. The command package is
 * opened to picocli, which reads its annotations and sets its fields.
 */
module kv.cli {
    requires kv.api;
    requires info.picocli;
    requires io.grpc.netty.shaded;

    opens kv.cli to info.picocli;
}
