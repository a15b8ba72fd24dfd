package kv.cli;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import kv.api.etcdserverpb.DeleteRangeRequest;
import kv.api.etcdserverpb.KVGrpc;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.RequestOp;
import kv.api.etcdserverpb.TxnRequest;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;
import kv.api.mvccpb.KeyValue;
import kv.cli.output.KeyRanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make-mirror DEST}: etcdctl 3.4's mirror. Copies every key under {@code --prefix} as of the
 * source's current revision to the destination (1,000 keys per range), then watches the source
 * from the next revision and replays each revision's events as one destination transaction, until
 * interrupted or a failure. Keys have the first occurrence of the prefix replaced by the
 * destination prefix (by default the same prefix; {@code --no-dest-prefix}: none). Every 30 s it
 * prints how many keys it has synced so far. Calls have no deadline, as etcdctl's have none.
 */
@Command(name = "make-mirror", description = "Makes a mirror at the destination etcd cluster", customSynopsis = "kvctl make-mirror [options] <destination>",
        footer = {"  kvctl make-mirror 10.0.0.9:2379", "  kvctl make-mirror --prefix /app/ --dest-prefix /copy/ 10.0.0.9:2379",
                "  kvctl --endpoints=10.0.0.1:2379 make-mirror --dest-cacert ca.pem https://10.0.0.9:2379", "",
                "Runs until interrupted; prints the number of keys synced so far every 30 seconds. A compaction on the source",
                "that overtakes the watch ends it with etcd's 'required revision has been compacted' (exit 1)."})
final class MakeMirrorCommand extends CliCommand {
    /** etcd's mirror syncer reads the base in pages of this many keys. */
    private static final int BATCH = 1000;
    private static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
    /** Tests shorten the report interval; etcdctl's is 30 s. */
    static Duration reportInterval = Duration.ofSeconds(30);

    @Option(names = "--prefix", defaultValue = "", description = "Key-value prefix to mirror")
    String prefix;

    @Option(names = "--dest-prefix", defaultValue = "", description = "destination prefix to mirror a prefix to a different prefix in the destination cluster")
    String destPrefix;

    @Option(names = "--no-dest-prefix", arity = "0..1", description = "mirror key-values to the root of the destination cluster")
    boolean noDestPrefix;

    @Option(names = "--dest-cert", description = "Identify secure client using this TLS certificate file for the destination cluster")
    String destCert;

    @Option(names = "--dest-key", description = "Identify secure client using this TLS key file")
    String destKey;

    @Option(names = "--dest-cacert", description = "Verify certificates of TLS enabled secure servers using this CA bundle")
    String destCacert;

    @Option(names = "--dest-insecure-transport", arity = "0..1", defaultValue = "true", description = "Disable transport security for client connections")
    boolean destInsecureTransport;

    private final AtomicLong total = new AtomicLong();

    @Override
    void run() throws InterruptedException {
        if (args.size() != 1) {
            throw CliException.badArgs("make-mirror takes one destination argument");
        }
        if (noDestPrefix && !destPrefix.isEmpty()) {
            throw CliException.badArgs("`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one");
        }
        ByteString from = ByteString.copyFromUtf8(prefix);
        ByteString to = noDestPrefix ? ByteString.EMPTY : ByteString.copyFromUtf8(destPrefix.isEmpty() ? prefix : destPrefix);
        ClientConfig src = clientConfig();
        ClientConfig dst = new ClientConfig(List.of(args.get(0)), src.dialTimeout(), src.commandTimeout(), src.keepAliveTime(),
                src.keepAliveTimeout(), Optional.ofNullable(destCacert), Optional.ofNullable(destCert), Optional.ofNullable(destKey),
                false, destInsecureTransport, Optional.empty());
        printer();
        try (EtcdClient d = EtcdClient.connect(dst); EtcdClient s = connect()) {
            Thread reporter = Thread.ofPlatform().daemon().name("kvctl-mirror-report").start(this::report);
            try {
                Mirror m = new Mirror(KVGrpc.newBlockingStub(s.channel()).withWaitForReady(), KVGrpc.newBlockingStub(d.channel()).withWaitForReady(),
                        from, to);
                long rev = m.syncBase();
                m.syncUpdates(s, rev);
            } finally {
                reporter.interrupt();
            }
        }
    }

    private void report() {
        try {
            while (true) {
                Thread.sleep(reportInterval);
                synchronized (this) {
                    printer().line(Long.toString(total.get()));
                    printer().flush();
                }
            }
        } catch (InterruptedException e) {
            // the mirror ended
        }
    }

    /** One mirroring session: source and destination stubs, the key rewrite. */
    private final class Mirror {
        private final KVGrpc.KVBlockingStub source;
        private final KVGrpc.KVBlockingStub dest;
        private final ByteString from;
        private final ByteString to;

        Mirror(KVGrpc.KVBlockingStub source, KVGrpc.KVBlockingStub dest, ByteString from, ByteString to) {
            this.source = source;
            this.dest = dest;
            this.from = from;
            this.to = to;
        }

        /** Copies every key under the prefix as of the source's current revision; returns that revision. */
        long syncBase() {
            long rev = call(() -> source.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo")).build())).getHeader().getRevision();
            ByteString key = from.isEmpty() ? ByteString.copyFrom(KeyRanges.ALL) : from;
            ByteString end = ByteString.copyFrom(from.isEmpty() ? KeyRanges.ALL : KeyRanges.prefixEnd(from.toByteArray()));
            while (true) {
                RangeRequest req = RangeRequest.newBuilder().setKey(key).setRangeEnd(end).setLimit(BATCH).setRevision(rev).build();
                RangeResponse r = call(() -> source.range(req));
                for (KeyValue kv : r.getKvsList()) {
                    call(() -> dest.put(PutRequest.newBuilder().setKey(rewrite(kv.getKey())).setValue(kv.getValue()).build()));
                    total.incrementAndGet();
                }
                if (!r.getMore() || r.getKvsCount() == 0) {
                    return rev;
                }
                key = r.getKvs(r.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
            }
        }

        /** Replays the source's changes after {@code rev}, one destination transaction per source revision. */
        void syncUpdates(EtcdClient s, long rev) throws InterruptedException {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = s.watchAsync().watch(new LeaseCommands.Collector<>(answers));
            requests.onNext(WatchCommand.createRequest(List.of(prefix), true, rev + 1, false));
            try {
                while (true) {
                    Object answer = answers.take();
                    if (answer instanceof Throwable t) {
                        throw new CliException(ExitCode.ERROR, EtcdClient.describe(io.grpc.Status.fromThrowable(t)));
                    }
                    apply((WatchResponse) answer);
                }
            } finally {
                requests.onCompleted();
            }
        }

        private void apply(WatchResponse r) {
            if (r.getCompactRevision() != 0) {
                throw new CliException(ExitCode.ERROR, COMPACTED);
            }
            if (r.getCanceled()) {
                throw new CliException(ExitCode.ERROR, r.getCancelReason().isEmpty() ? "watch canceled" : r.getCancelReason());
            }
            List<RequestOp> ops = new ArrayList<>();
            long lastRev = 0;
            for (Event ev : r.getEventsList()) {
                long next = ev.getKv().getModRevision();
                if (lastRev != 0 && next > lastRev) {
                    commit(ops);
                    ops.clear();
                }
                lastRev = next;
                ByteString key = rewrite(ev.getKv().getKey());
                ops.add(switch (ev.getType()) {
                    case PUT -> RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(ev.getKv().getValue())).build();
                    case DELETE -> RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build();
                    case UNRECOGNIZED -> throw new IllegalStateException("unexpected event type " + ev.getTypeValue());
                });
                total.incrementAndGet();
            }
            if (!ops.isEmpty()) {
                commit(ops);
            }
        }

        private void commit(List<RequestOp> ops) {
            TxnRequest txn = TxnRequest.newBuilder().addAllSuccess(ops).build();
            call(() -> dest.txn(txn));
        }

        /** Go's {@code strings.Replace(key, prefix, destPrefix, 1)}, on bytes. */
        ByteString rewrite(ByteString key) {
            int at = indexOf(key, from);
            if (at < 0) {
                return key;
            }
            return key.substring(0, at).concat(to).concat(key.substring(at + from.size()));
        }

        private <T> T call(java.util.function.Supplier<T> rpc) {
            try {
                return rpc.get();
            } catch (io.grpc.StatusRuntimeException e) {
                throw new CliException(ExitCode.ERROR, EtcdClient.describe(e.getStatus()));
            }
        }
    }

    static int indexOf(ByteString s, ByteString part) {
        outer:
        for (int i = 0; i + part.size() <= s.size(); i++) {
            for (int j = 0; j < part.size(); j++) {
                if (s.byteAt(i + j) != part.byteAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
