package kv.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kv.api.etcdserverpb.HashKVRequest;
import kv.api.etcdserverpb.MemberListRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.StatusRequest;
import kv.cli.output.EndpointResults;
import kv.cli.output.GoText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code endpoint health|status|hashkv}: one answer per endpoint (or per member with {@code --cluster}). */
@Command(name = "endpoint", description = "Endpoint related commands",
        subcommands = {EndpointCommands.Health.class, EndpointCommands.Status.class, EndpointCommands.HashKV.class},
        footer = {"  kvctl endpoint health", "  kvctl endpoint status --cluster -w table", "  kvctl endpoint hashkv --rev=100"})
final class EndpointCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cluster", scope = picocli.CommandLine.ScopeType.INHERIT, arity = "0..1",
            description = "use all endpoints from the cluster member list")
    boolean cluster;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The endpoints to ask: {@code --endpoints}, or every member's client URLs with {@code --cluster}. */
    static List<String> endpoints(CliCommand command, boolean cluster) {
        List<String> given = command.global().endpoints;
        if (!cluster) {
            return given;
        }
        try (EtcdClient c = command.connect()) {
            List<String> urls = new ArrayList<>();
            try {
                c.cluster().memberList(MemberListRequest.getDefaultInstance()).getMembersList().forEach(m -> urls.addAll(m.getClientURLsList()));
            } catch (io.grpc.StatusRuntimeException e) {
                throw new CliException(ExitCode.ERROR, "failed to fetch endpoints from etcd cluster member list: " + EtcdClient.describe(e.getStatus()));
            }
            return urls;
        }
    }

    private static boolean cluster(CliCommand c) {
        return ((EndpointCommands) c.spec.parent().userObject()).cluster;
    }

    @Command(name = "health", description = "Checks the healthiness of endpoints specified in `--endpoints` flag",
            customSynopsis = "kvctl endpoint health [options]", footer = {"  kvctl endpoint health", "  kvctl endpoint health --cluster -w table"})
    static final class Health extends CliCommand {
        @Override
        void run() throws InterruptedException {
            List<EndpointResults.Health> results = new ArrayList<>();
            ClientConfig cfg = clientConfig();
            for (String ep : endpoints(this, cluster(this))) {
                results.add(probe(cfg.forEndpoint(ep), ep));
            }
            printer().endpointHealth(results);
            if (results.stream().anyMatch(h -> !h.error().isEmpty())) {
                throw new CliException(ExitCode.ERROR, "unhealthy cluster");
            }
        }

        /** Healthy when a linearizable read goes through raft (permission denied counts: it did go through). */
        private static EndpointResults.Health probe(ClientConfig cfg, String ep) throws InterruptedException {
            long start = System.nanoTime();
            try (EtcdClient c = EtcdClient.connect(cfg)) {
                // like etcdctl, time the read and not the dial (nor, here, loading the gRPC classes)
                if (!c.awaitConnected(cfg.commandTimeout())) {
                    return new EndpointResults.Health(ep, false, took(start), "context deadline exceeded");
                }
                start = System.nanoTime();
                try {
                    c.kv().range(RangeRequest.newBuilder().setKey(KvCommands.bytes("health")).build());
                } catch (io.grpc.StatusRuntimeException e) {
                    String why = EtcdClient.describe(e.getStatus());
                    if (!why.equals("etcdserver: permission denied")) {
                        return new EndpointResults.Health(ep, false, took(start), why);
                    }
                }
                return new EndpointResults.Health(ep, true, took(start), "");
            } catch (CliException e) {
                return new EndpointResults.Health(ep, false, "", e.getMessage());
            }
        }

        private static String took(long start) {
            return GoText.duration(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Command(name = "status", description = "Prints out the status of endpoints specified in `--endpoints` flag",
            customSynopsis = "kvctl endpoint status [options]", footer = {"  kvctl endpoint status -w table", "  kvctl endpoint status --cluster"})
    static final class Status extends CliCommand {
        @Override
        void run() {
            List<EndpointResults.Status> results = new ArrayList<>();
            boolean failed = false;
            ClientConfig cfg = clientConfig();
            for (String ep : endpoints(this, cluster(this))) {
                try (EtcdClient c = EtcdClient.connect(cfg.forEndpoint(ep))) {
                    results.add(new EndpointResults.Status(ep, c.call(() -> c.maintenance().status(StatusRequest.getDefaultInstance()))));
                } catch (CliException e) {
                    failed = true;
                    printer().errorLine("Failed to get the status of endpoint " + ep + " (" + e.getMessage() + ")");
                }
            }
            printer().endpointStatus(results);
            if (failed) {
                throw CliException.silent(ExitCode.ERROR);
            }
        }
    }

    @Command(name = "hashkv", description = "Prints the KV history hash for each endpoint in --endpoints",
            customSynopsis = "kvctl endpoint hashkv [options]", footer = {"  kvctl endpoint hashkv", "  kvctl endpoint hashkv --rev=100 -w json"})
    static final class HashKV extends CliCommand {
        @Option(names = "--rev", defaultValue = "0", description = "maximum revision to hash (default: all revisions)")
        long rev;

        @Override
        void run() {
            List<EndpointResults.Hash> results = new ArrayList<>();
            CliException failure = null;
            ClientConfig cfg = clientConfig();
            for (String ep : endpoints(this, cluster(this))) {
                try (EtcdClient c = EtcdClient.connect(cfg.forEndpoint(ep))) {
                    results.add(new EndpointResults.Hash(ep, c.call(() -> c.maintenance().hashKV(HashKVRequest.newBuilder().setRevision(rev).build()))));
                } catch (CliException e) {
                    failure = e;
                    printer().errorLine("Failed to get the hash of endpoint " + ep + " (" + e.getMessage() + ")");
                }
            }
            printer().endpointHashKV(results);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
