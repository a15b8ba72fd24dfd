package kv.cli;

import io.grpc.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.CompactionRequest;
import kv.api.etcdserverpb.DefragmentRequest;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.DeleteRangeResponse;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.MaintenanceGrpc;
import kv.api.etcdserverpb.RangeRequest;
import kv.cli.output.GoText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check perf} and {@code check datascale}: etcdctl 3.4's cluster checks, with its workload
 * models, its PASS/FAIL lines on standard output and its exit codes. etcdctl draws its progress bar
 * on standard output; kvctl draws it on standard error, and only on a terminal, so that the
 * standard output holds only the verdict lines.
 */
final class CheckCommands {
    /** etcd's pkg/report measures everything in seconds; Go's {@code %f} prints six decimals. */
    private static final double SLOWEST_LIMIT = 0.5;
    private static final double STDDEV_LIMIT = 0.1;
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);
    static final Map<String, String> LOAD_ALIASES = Map.of("s", "s", "small", "s", "m", "m", "medium", "m", "l", "l", "large", "l",
            "xl", "xl", "xLarge", "xl");

    private CheckCommands() {}

    /** etcdctl's {@code check perf} models: put rate limit, clients, duration (all 60 s). */
    record PerfModel(int limit, int clients, Duration duration) {
        static PerfModel of(String load) {
            return switch (model(load)) {
                case "s" -> new PerfModel(150, 50, Duration.ofSeconds(60));
                case "m" -> new PerfModel(1000, 200, Duration.ofSeconds(60));
                case "l" -> new PerfModel(8000, 500, Duration.ofSeconds(60));
                default -> new PerfModel(15000, 1000, Duration.ofSeconds(60));
            };
        }
    }

    /** etcdctl's {@code check datascale} models: key-value pairs, bytes per pair, clients. */
    record DatascaleModel(int limit, int kvSize, int clients) {
        static DatascaleModel of(String load) {
            return switch (model(load)) {
                case "s" -> new DatascaleModel(10_000, 1024, 50);
                case "m" -> new DatascaleModel(100_000, 1024, 200);
                case "l" -> new DatascaleModel(1_000_000, 1024, 500);
                default -> new DatascaleModel(3_000_000, 1024, 1000);
            };
        }
    }

    private static String model(String load) {
        String m = LOAD_ALIASES.get(load);
        if (m == null) {
            throw new CliException(ExitCode.BAD_FEATURE, "unknown load option " + load);
        }
        return m;
    }

    @Command(name = "check", description = "commands for checking properties of the etcd cluster", subcommands = {Perf.class, Datascale.class},
            footer = {"  kvctl check perf --load=s", "  kvctl check datascale --load=s --auto-compact --auto-defrag"})
    static final class Check implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** Flags and steps both checks share: the empty-prefix check, clean-up, compaction and defragmentation. */
    abstract static class CheckCommand extends CliCommand {
        @Option(names = "--auto-compact", arity = "0..1", description = "Compact storage with last revision after test is finished.")
        boolean autoCompact;

        @Option(names = "--auto-defrag", arity = "0..1", description = "Defragment storage after test is finished.")
        boolean autoDefrag;

        abstract String prefix();

        final com.google.protobuf.ByteString key() {
            return com.google.protobuf.ByteString.copyFromUtf8(prefix());
        }

        /** etcd's WithPrefix: the range of every key starting with the prefix. */
        final com.google.protobuf.ByteString rangeEnd() {
            return com.google.protobuf.ByteString.copyFrom(kv.cli.output.KeyRanges.prefixEnd(key().toByteArray()));
        }

        /** etcdctl refuses to write under a prefix that already has keys (exit 3). */
        final void requireEmptyPrefix(EtcdClient c, Duration timeout) {
            var r = c.call(() -> KVGrpc.newBlockingStub(c.channel()).withWaitForReady().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .range(RangeRequest.newBuilder().setKey(key()).setRangeEnd(rangeEnd())
                            .setLimit(1).build()));
            if (r.getKvsCount() > 0) {
                throw new CliException(ExitCode.INVALID_INPUT, "prefix " + GoText.quote(prefix()) + " has keys. Delete with etcdctl del --prefix "
                        + prefix() + " first");
            }
        }

        /** Deletes the check's keys, then compacts and defragments as asked, printing etcdctl's lines. */
        final void cleanUp(EtcdClient c) {
            DeleteRangeResponse d = c.call(() -> KVGrpc.newBlockingStub(c.channel()).withWaitForReady()
                    .withDeadlineAfter(CLEANUP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                    .deleteRange(DeleteRangeRequest.newBuilder().setKey(key()).setRangeEnd(rangeEnd()).build()));
            if (autoCompact) {
                long rev = d.getHeader().getRevision();
                printer().line("Compacting with revision " + rev);
                c.call(() -> KVGrpc.newBlockingStub(c.channel()).withWaitForReady().withDeadlineAfter(CLEANUP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                        .compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build()));
                printer().line("Compacted with revision " + rev);
            }
            if (autoDefrag) {
                ClientConfig cfg = clientConfig();
                for (String ep : cfg.endpoints()) {
                    printer().line("Defragmenting " + GoText.quote(ep));
                    try (EtcdClient one = EtcdClient.connect(cfg.forEndpoint(ep))) {
                        one.call(() -> MaintenanceGrpc.newBlockingStub(one.channel()).withWaitForReady()
                                .withDeadlineAfter(CLEANUP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS).defragment(DefragmentRequest.getDefaultInstance()));
                    }
                    printer().line("Defragmented " + GoText.quote(ep));
                }
            }
        }

        /** The channels the workload's clients share: the first is {@code c}'s, the others new connections. */
        final List<Channel> channels(EtcdClient c, int clients, List<EtcdClient> opened) {
            List<Channel> channels = new ArrayList<>(List.of(c.channel()));
            for (int i = 1; i < CheckWorkload.channelsFor(clients); i++) {
                EtcdClient extra = EtcdClient.connect(clientConfig());
                opened.add(extra);
                channels.add(extra.channel());
            }
            return channels;
        }

        /** etcdctl's lines for failed puts: one summary line, then one per distinct error. */
        final boolean printErrors(CheckWorkload.Stats s) {
            if (s.errors().isEmpty()) {
                return false;
            }
            printer().line("FAIL: too many errors");
            s.errors().forEach((msg, n) -> printer().line("FAIL: ERROR(" + msg + ") -> " + n));
            return true;
        }

    }

    @Command(name = "perf", description = "Check the performance of the etcd cluster", customSynopsis = "kvctl check perf [options]",
            footer = {"  kvctl check perf", "  kvctl check perf --load=m --auto-compact --auto-defrag", "",
                    "Writes 1 KiB values under --prefix at the model's rate for 60 s, deletes them, and passes when the throughput",
                    "reaches 90%% of the rate, the slowest put took at most 0.5 s and the standard deviation is at most 0.1 s.",
                    "Models (puts/s, clients): s 150/50, m 1000/200, l 8000/500, xl 15000/1000."})
    static final class Perf extends CheckCommand {
        /** Tests shorten the run; etcdctl's is always 60 s. */
        static Duration durationOverride;

        @Option(names = "--load", defaultValue = "s",
                description = "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        String load;

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-perf/", description = "The prefix for writing the performance check's keys.")
        String prefix;

        @Override
        String prefix() {
            return prefix;
        }

        @Override
        void run() throws InterruptedException {
            // etcdctl ignores arguments here
            PerfModel m = PerfModel.of(load);
            Duration duration = durationOverride != null ? durationOverride : m.duration();
            List<EtcdClient> opened = new ArrayList<>();
            try (EtcdClient c = connect()) {
                requireEmptyPrefix(c, duration);
                CheckWorkload w = new CheckWorkload(channels(c, m.clients(), opened), m.clients(), prefix, 256, 1024);
                CheckWorkload.Stats s;
                try (Progress p = Progress.start(session(), "Checking performance (" + duration.toSeconds() + "s)")) {
                    s = w.paced(m.limit(), duration, n -> {});
                }
                cleanUp(c);
                if (!verdict(s, m)) {
                    printer().flush();
                    throw CliException.silent(ExitCode.ERROR);
                }
            } finally {
                opened.forEach(EtcdClient::close);
            }
        }

        private boolean verdict(CheckWorkload.Stats s, PerfModel m) {
            boolean ok = !printErrors(s);
            if (s.rps() / m.limit() <= 0.9) {
                printer().line("FAIL: Throughput too low: " + ((long) s.rps() + 1) + " writes/s");
                ok = false;
            } else {
                printer().line("PASS: Throughput is " + ((long) s.rps() + 1) + " writes/s");
            }
            ok &= limit(s.slowest(), SLOWEST_LIMIT, "Slowest request took too long: ", "PASS: Slowest request took ");
            ok &= limit(s.stddev(), STDDEV_LIMIT, "Stddev too high: ", "PASS: Stddev is ");
            printer().line(ok ? "PASS" : "FAIL");
            return ok;
        }

        private boolean limit(double seconds, double max, String fail, String pass) {
            String text = String.format(Locale.ROOT, "%fs", seconds);
            // NaN (no successful put) is not above the limit in Go either
            boolean over = seconds > max;
            printer().line((over ? fail : pass) + text);
            return !over;
        }
    }

    @Command(name = "datascale", description = {"Check the memory usage of holding data for different workloads on a given server endpoint.",
            "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used."},
            customSynopsis = "kvctl check datascale [options]",
            footer = {"  kvctl check datascale", "  kvctl check datascale --load=m --auto-compact --auto-defrag", "",
                    "Reads process_resident_memory_bytes from the first endpoint's /metrics (plain HTTP) before and after writing",
                    "the model's key-value pairs, deletes them, and prints the difference.",
                    "Models (pairs, clients): s 10000/50, m 100000/200, l 1000000/500, xl 3000000/1000; 1 KiB per pair."})
    static final class Datascale extends CheckCommand {
        private static final String RESIDENT = "process_resident_memory_bytes";

        @Option(names = "--load", defaultValue = "s",
                description = "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        String load;

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-datascale/", description = "The prefix for writing the datascale check's keys.")
        String prefix;

        @Override
        String prefix() {
            return prefix;
        }

        @Override
        void run() throws InterruptedException {
            // etcdctl ignores arguments here
            DatascaleModel m = DatascaleModel.of(load);
            List<EtcdClient> opened = new ArrayList<>();
            try (EtcdClient c = connect()) {
                requireEmptyPrefix(c, Duration.ofDays(1));
                String endpoint = global().endpoints.getFirst();
                double before = residentBytes(endpoint).orElseThrow(() -> fail("before"));
                printer().line("Start data scale check for work load [" + m.limit() + " key-value pairs, " + m.kvSize()
                        + " bytes per key-value, " + m.clients() + " concurrent clients].");
                CheckWorkload w = new CheckWorkload(channels(c, m.clients(), opened), m.clients(), prefix, m.kvSize() / 2, m.kvSize() / 2);
                CheckWorkload.Stats s;
                try (Progress p = Progress.start(session(), "Writing " + m.limit() + " key-value pairs")) {
                    s = w.counted(m.limit(), n -> {});
                }
                double after = residentBytes(endpoint).orElseThrow(() -> fail("after"));
                cleanUp(c);
                if (printErrors(s)) {
                    printer().flush();
                    throw CliException.silent(ExitCode.ERROR);
                }
                double mb = (after - before) / (1024 * 1024);
                printer().line("PASS: Approximate system memory used : " + String.format(Locale.ROOT, "%.2f", mb) + " MB.");
            } finally {
                opened.forEach(EtcdClient::close);
            }
        }

        private CliException fail(String when) {
            printer().line("FAIL: Could not read " + RESIDENT + " " + when + " the put operations.");
            printer().flush();
            return CliException.silent(ExitCode.ERROR);
        }

        /** The member's resident memory from its Prometheus metrics; empty (after etcdctl's line) when unreadable. */
        private OptionalDouble residentBytes(String endpoint) {
            String host = endpoint.startsWith("http://") || endpoint.startsWith("https://") ? endpoint : "http://" + endpoint;
            String url = host + "/metrics";
            String body;
            try {
                HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
                conn.setConnectTimeout((int) clientConfig().dialTimeout().toMillis());
                try (InputStream in = conn.getInputStream()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    conn.disconnect();
                }
            } catch (IOException | IllegalArgumentException e) {
                printer().line("fetch error: Get " + GoText.quote(url) + ": " + e.getMessage());
                return OptionalDouble.empty();
            }
            for (String line : body.split("\n")) {
                if (line.startsWith(RESIDENT)) {
                    String v = line.substring(RESIDENT.length()).strip();
                    try {
                        return OptionalDouble.of(Double.parseDouble(v));
                    } catch (NumberFormatException e) {
                        printer().line("parse error: strconv.ParseFloat: parsing " + GoText.quote(v) + ": invalid syntax");
                        return OptionalDouble.empty();
                    }
                }
            }
            printer().line("could not find: " + RESIDENT);
            return OptionalDouble.empty();
        }
    }
}
