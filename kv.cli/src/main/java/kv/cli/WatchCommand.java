package kv.cli;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchProgressRequest;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.cli.output.GoText;
import kv.cli.output.KeyRanges;
import kv.cli.output.Printer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code watch}: prints events on a key, range or prefix until interrupted or canceled by the
 * server; optionally runs a command per event; with {@code -i}, reads {@code watch ...} and
 * {@code progress} lines from standard input and serves them on one stream.
 */
@Command(name = "watch", description = "Watches events stream on keys or prefixes",
        customSynopsis = "kvctl watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
        footer = {"  kvctl watch foo", "  kvctl watch --prefix foo --prev-kv", "  kvctl watch foo --rev=1    (replays history from revision 1)",
                "  kvctl watch foo -- sh -c 'echo $ETCD_WATCH_EVENT_TYPE $ETCD_WATCH_KEY'", "  printf 'watch foo\\nwatch --prefix bar\\n' | kvctl watch -i", "",
                "The command after '--' runs once per event with ETCD_WATCH_REVISION, ETCD_WATCH_EVENT_TYPE, ETCD_WATCH_KEY and",
                "ETCD_WATCH_VALUE in its environment. ETCDCTL_WATCH_KEY and ETCDCTL_WATCH_RANGE_END may give the key and range end."})
final class WatchCommand extends CliCommand {
    @Option(names = {"-i", "--interactive"}, arity = "0..1", description = "Interactive mode")
    boolean interactive;
    @Option(names = "--prefix", arity = "0..1", description = "Watch on a prefix if prefix is set")
    boolean prefix;
    @Option(names = "--rev", defaultValue = "0", description = "Revision to start watching")
    long rev;
    @Option(names = "--prev-kv", arity = "0..1", description = "get the previous key-value pair before the event happens")
    boolean prevKv;

    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    void run() throws Exception {
        Map<String, String> env = session().env();
        String envKey = env.getOrDefault("ETCDCTL_WATCH_KEY", "");
        String envRange = env.getOrDefault("ETCDCTL_WATCH_RANGE_END", "");
        if (envKey.isEmpty() && !envRange.isEmpty()) {
            throw CliException.badArgs("ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=" + GoText.quote(envRange));
        }
        if (interactive) {
            interactive(envKey, envRange);
            return;
        }
        List<String> raw = spec.commandLine().getParseResult().originalArgs();
        int sep = raw.indexOf("--");
        List<String> exec = sep < 0 ? List.of() : List.copyOf(raw.subList(sep + 1, raw.size()));
        if (sep >= 0 && exec.isEmpty()) {
            throw CliException.badArgs("bad number of arguments (found separator --, but no commands)");
        }
        List<String> keys = new ArrayList<>(args.subList(0, args.size() - exec.size()));
        if (!envKey.isEmpty()) {
            if (!keys.isEmpty()) {
                throw CliException.badArgs("bad number of arguments (found conflicting environment key)");
            }
            keys.add(envKey);
            if (!envRange.isEmpty()) {
                keys.add(envRange);
            }
        }
        WatchRequest create = createRequest(keys, prefix, rev, prevKv);
        try (EtcdClient c = connect()) {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = stream(c, answers);
            requests.onNext(create);
            serve(answers, exec);
        }
    }

    private static StreamObserver<WatchRequest> stream(EtcdClient c, BlockingQueue<Object> answers) {
        Metadata leader = new Metadata();
        leader.put(HAS_LEADER, "true");
        return c.watchAsync().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(leader)).watch(new LeaseCommands.Collector<>(answers));
    }

    static WatchRequest createRequest(List<String> keys, boolean prefix, long rev, boolean prevKv) {
        if (keys.isEmpty() || keys.size() > 2) {
            throw CliException.badArgs("bad number of arguments");
        }
        byte[] key = keys.get(0).getBytes(StandardCharsets.UTF_8);
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setStartRevision(rev).setPrevKv(prevKv);
        if (keys.size() == 2) {
            if (prefix) {
                throw CliException.badArgs("`range_end` and `--prefix` are mutually exclusive");
            }
            b.setRangeEnd(KvCommands.bytes(keys.get(1)));
        }
        if (prefix) {
            key = key.length == 0 ? KeyRanges.ALL : key;
            b.setRangeEnd(com.google.protobuf.ByteString.copyFrom(key.length == 1 && key[0] == 0 ? KeyRanges.ALL : KeyRanges.prefixEnd(key)));
        }
        b.setKey(com.google.protobuf.ByteString.copyFrom(key));
        return WatchRequest.newBuilder().setCreateRequest(b).build();
    }

    /** Prints responses until the stream ends (the server canceled it) or the thread is interrupted. */
    private void serve(BlockingQueue<Object> answers, List<String> exec) throws InterruptedException, IOException {
        Printer p = printer();
        int watchers = 0;
        while (true) {
            Object answer = answers.take();
            if (answer instanceof CliException e) {
                throw e;
            }
            if (answer instanceof Throwable t) {
                String why = EtcdClient.describe(io.grpc.Status.fromThrowable(t));
                if (!why.equals("rpc error: code = Unavailable desc = stream closed")) {
                    p.errorLine("watch was canceled (" + why + ")");
                }
                throw new CliException(ExitCode.INTERRUPTED, "watch is canceled by the server");
            }
            WatchResponse r = (WatchResponse) answer;
            if (r.getCreated() && r.getEventsCount() == 0 && !r.getCanceled()) {
                watchers++;
                continue;
            }
            if (r.getCanceled()) {
                p.errorLine("watch was canceled (" + cancelReason(r) + ")");
            } else if (r.getEventsCount() == 0 && r.getCompactRevision() == 0) {
                // a notify for the whole stream (id -1) reaches every watcher on it, as in clientv3
                for (int i = r.getWatchId() == -1 ? Math.max(1, watchers) : 1; i > 0; i--) {
                    p.line("progress notify: " + r.getHeader().getRevision());
                    p.watch(r);
                }
                p.flush();
                continue;
            }
            p.watch(r);
            p.flush();
            runForEach(r, exec);
            if (r.getCanceled() && !interactive) {
                throw new CliException(ExitCode.INTERRUPTED, "watch is canceled by the server");
            }
        }
    }

    private static String cancelReason(WatchResponse r) {
        if (r.getCompactRevision() != 0) {
            return "etcdserver: mvcc: required revision has been compacted";
        }
        return r.getCancelReason().isEmpty() ? "<nil>" : r.getCancelReason();
    }

    private void runForEach(WatchResponse r, List<String> exec) throws IOException, InterruptedException {
        if (exec.isEmpty()) {
            return;
        }
        for (Event e : r.getEventsList()) {
            ProcessBuilder pb = new ProcessBuilder(exec);
            pb.environment().put("ETCD_WATCH_REVISION", Long.toString(r.getHeader().getRevision()));
            pb.environment().put("ETCD_WATCH_EVENT_TYPE", GoText.quote(e.getType().name()));
            pb.environment().put("ETCD_WATCH_KEY", GoText.quote(e.getKv().getKey().toByteArray()));
            pb.environment().put("ETCD_WATCH_VALUE", GoText.quote(e.getKv().getValue().toByteArray()));
            int status = ChildProcess.run(pb, session());
            if (status != 0) {
                printer().errorLine("command " + exec + " error (exit status " + status + ")");
                throw CliException.silent(ExitCode.ERROR);
            }
        }
    }

    /** {@code watch -i}: each {@code watch [options] key [range_end]} line adds a watcher; {@code progress} asks for a progress notify. */
    private void interactive(String envKey, String envRange) throws Exception {
        try (EtcdClient c = connect()) {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = stream(c, answers);
            Thread reader = Thread.ofVirtual().start(() -> readRequests(requests, answers, envKey, envRange));
            try {
                serve(answers, List.of());
            } finally {
                reader.interrupt();
            }
        }
    }

    private void readRequests(StreamObserver<WatchRequest> requests, BlockingQueue<Object> answers, String envKey, String envRange) {
        Printer p = printer();
        try {
            while (true) {
                String line = TxnCommand.readLine(session().in());
                List<String> words = GoQuoted.words(line);
                if (words.isEmpty()) {
                    p.errorLine("Invalid command: " + line + " (watch and progress supported)");
                    continue;
                }
                switch (words.get(0)) {
                    case "watch" -> {
                        WatchLine w = new WatchLine();
                        try {
                            new CommandLine(w).parseArgs(words.subList(1, words.size()).toArray(String[]::new));
                            List<String> keys = new ArrayList<>(w.keys);
                            if (!envKey.isEmpty()) {
                                keys.add(0, envKey);
                                if (!envRange.isEmpty()) {
                                    keys.add(1, envRange);
                                }
                            }
                            requests.onNext(createRequest(keys, w.prefix, w.rev, w.prevKv));
                        } catch (CommandLine.ParameterException | CliException e) {
                            p.errorLine("Invalid command " + line + " (" + e.getMessage() + ")");
                        }
                    }
                    case "progress" -> requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                    default -> p.errorLine("Invalid command " + line + " (only support watch)");
                }
            }
        } catch (CliException | IOException e) {
            // etcdctl gives up on its input at EOF
            answers.add(new CliException(ExitCode.INVALID_INPUT, "Error reading watch request line: EOF"));
        }
    }

    /** The options of one {@code watch} line in interactive mode. */
    @Command(name = "watch")
    static final class WatchLine {
        @Option(names = "--prefix", arity = "0..1")
        boolean prefix;
        @Option(names = "--rev", defaultValue = "0")
        long rev;
        @Option(names = "--prev-kv", arity = "0..1")
        boolean prevKv;
        @CommandLine.Parameters(arity = "0..*")
        List<String> keys = new ArrayList<>();
    }
}
