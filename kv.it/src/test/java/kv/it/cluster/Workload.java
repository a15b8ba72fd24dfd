package kv.it.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kv.lincheck.KvModel;
import kv.lincheck.Operation;

/**
 * Concurrent jetcd clients running get (linearizable), put, compare-and-set (a txn comparing the
 * value) and delete on a few keys, recording one history for kv.lincheck. Every put writes a value
 * no other operation writes, so a write applied twice or a read of a value never written cannot
 * hide. A write that failed or timed out is recorded pending (it may or may not have happened) and
 * its client takes a new id, since it can no longer be sure its next call comes after it; a read
 * that failed is dropped (it changed nothing).
 *
 * <p>Acknowledged writes are also kept with the revision they created, to check against the watch
 * streams. Threads: one per client, started by {@link #start}, stopped by {@link #stop}.
 */
final class Workload {
    /** A write the cluster acknowledged: the revision it created, the key, the value (empty for a delete). */
    record AckedWrite(long revision, String key, Optional<String> value) {}

    static final String PREFIX = "fr/";
    private static final Duration OP_TIMEOUT = Duration.ofSeconds(2);

    private final Client client;
    private final int clients;
    private final int keys;
    private final long seed;
    private final ConcurrentLinkedQueue<Operation<KvModel.Input, KvModel.Output>> history = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<AckedWrite> acked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger nextClientId = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    /** Which member answered each completed operation, by client and call time (for failure reports). */
    private final Map<String, String> answeredBy = new ConcurrentHashMap<>();

    Workload(Client client, int clients, int keys, long seed) {
        this.client = client;
        this.clients = clients;
        this.keys = keys;
        this.seed = seed;
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(seed * 31 + c);
            threads.add(Thread.ofPlatform().name("fault-run-client-" + c).start(() -> run(random)));
        }
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    List<Operation<KvModel.Input, KvModel.Output>> history() {
        return List.copyOf(history);
    }

    List<AckedWrite> acked() {
        return List.copyOf(acked);
    }

    int failures() {
        return failures.get();
    }

    static String key(int k) {
        return PREFIX + "k" + k;
    }

    private void run(SplittableRandom random) {
        int id = nextClientId.getAndIncrement();
        Map<String, Optional<String>> lastSeen = new HashMap<>();
        for (long seq = 0; !stop.get(); seq++) {
            String key = key(random.nextInt(keys));
            int dice = random.nextInt(100);
            KvModel.Input input;
            if (dice < 35) {
                input = new KvModel.Get(key);
            } else if (dice < 65) {
                input = new KvModel.Put(key, "c" + id + "-" + seq);
            } else if (dice < 85) {
                input = new KvModel.Cas(key, lastSeen.getOrDefault(key, Optional.empty()), "c" + id + "-" + seq);
            } else {
                input = new KvModel.Delete(key);
            }
            if (!invoke(client.getKVClient(), id, input, lastSeen).isEmpty()) {
                failures.incrementAndGet();
                if (!(input instanceof KvModel.Get)) {
                    id = nextClientId.getAndIncrement();
                }
                sleepQuietly(50 + random.nextInt(100));
            }
        }
    }

    /** Issues one operation and records it; returns its error if it failed (then recorded pending, or dropped for a read). */
    private Optional<Exception> invoke(KV kv, int id, KvModel.Input input, Map<String, Optional<String>> lastSeen) {
        long call = System.nanoTime();
        try {
            KvModel.Output out = switch (input) {
                case KvModel.Get g -> {
                    GetResponse r = await(kv.get(bs(g.key())));
                    answered(id, call, r.getHeader());
                    Optional<String> v = r.getKvs().isEmpty() ? Optional.empty() : Optional.of(str(r.getKvs().getFirst().getValue()));
                    lastSeen.put(g.key(), v);
                    yield new KvModel.Value(v);
                }
                case KvModel.Put p -> {
                    PutResponse r = await(kv.put(bs(p.key()), bs(p.value())));
                    answered(id, call, r.getHeader());
                    acked.add(new AckedWrite(r.getHeader().getRevision(), p.key(), Optional.of(p.value())));
                    lastSeen.put(p.key(), Optional.of(p.value()));
                    yield new KvModel.Revision(r.getHeader().getRevision());
                }
                case KvModel.Cas c -> {
                    Cmp cmp = c.expected().isPresent()
                            ? new Cmp(bs(c.key()), Cmp.Op.EQUAL, CmpTarget.value(bs(c.expected().get())))
                            : new Cmp(bs(c.key()), Cmp.Op.EQUAL, CmpTarget.version(0));
                    TxnResponse r = await(kv.txn().If(cmp).Then(Op.put(bs(c.key()), bs(c.value()), PutOption.DEFAULT)).commit());
                    answered(id, call, r.getHeader());
                    if (r.isSucceeded()) {
                        acked.add(new AckedWrite(r.getHeader().getRevision(), c.key(), Optional.of(c.value())));
                        lastSeen.put(c.key(), Optional.of(c.value()));
                    } else {
                        lastSeen.remove(c.key());
                    }
                    yield new KvModel.CasResult(r.isSucceeded());
                }
                case KvModel.Delete d -> {
                    DeleteResponse r = await(kv.delete(bs(d.key())));
                    answered(id, call, r.getHeader());
                    if (r.getDeleted() > 0) {
                        acked.add(new AckedWrite(r.getHeader().getRevision(), d.key(), Optional.empty()));
                    }
                    lastSeen.put(d.key(), Optional.empty());
                    yield new KvModel.Deleted(r.getDeleted());
                }
                case KvModel.Append a -> throw new IllegalArgumentException("the fault run does not append: " + a);
            };
            history.add(Operation.completed(id, input, call, System.nanoTime(), out));
            return Optional.empty();
        } catch (Exception e) {
            if (!(input instanceof KvModel.Get)) {
                history.add(Operation.pending(id, input, call));
            }
            return Optional.of(e);
        }
    }

    /**
     * Reads every key linearizably once all faults are over, through each member in turn until one
     * answers, appended to the history as the final word.
     *
     * @param members one client per member, each with that member's endpoint only
     */
    void finalReads(List<Client> members, Duration timeout) throws InterruptedException {
        int id = nextClientId.getAndIncrement();
        for (int k = 0; k < keys; k++) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<Integer, String> errors = new TreeMap<>();
            for (int attempt = 0; ; attempt++) {
                int m = attempt % members.size();
                Optional<Exception> error = invoke(members.get(m).getKVClient(), id, new KvModel.Get(key(k)), new HashMap<>());
                if (error.isEmpty()) {
                    break;
                }
                errors.put(m, error.get().toString());
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a linearizable get of " + key(k) + " still fails on every member after the faults healed: " + errors);
                }
                Thread.sleep(100);
            }
        }
    }

    private void answered(int client, long call, Response.Header h) {
        answeredBy.put(client + "@" + call, "member " + Long.toHexString(h.getMemberId()) + " term " + h.getRaftTerm()
                + " rev " + h.getRevision());
    }

    /**
     * {@code text} (a checker's explanation) with each operation line ("client C [call, ...") followed
     * by the member that answered it, its raft term and revision then: which member served a wrong read.
     */
    String withAnswerers(String text) {
        Matcher m = Pattern.compile("(?m)^(.*client (\\d+) \\[(\\d+), .*)$").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String who = answeredBy.get(m.group(2) + "@" + m.group(3));
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (who == null ? "" : "  <" + who + ">")));
        }
        return m.appendTail(sb).toString();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(OP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            f.cancel(true);
        }
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String str(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
