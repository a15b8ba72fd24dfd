/** kvctl: etcdctl's commands and output formats for kv, plus kv's offline tools. */
module kv.cli {
    requires kv.api;
    requires info.picocli;
    requires io.grpc.netty.shaded;

    opens kv.cli to info.picocli;
}
