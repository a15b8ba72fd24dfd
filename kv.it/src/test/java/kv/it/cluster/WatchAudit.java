package kv.it.cluster;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.WatchCreateRequest;
import kv.api.etcdserverpb.WatchGrpc;
import kv.api.etcdserverpb.WatchRequest;
import kv.api.etcdserverpb.WatchResponse;
import kv.api.mvccpb.Event;

/**
 * One watch stream per member on the workload's prefix, from the first revision, reopened from the
 * last revision seen + 1 whenever it breaks (the member was killed or its stream failed). Checks as
 * responses arrive: revisions strictly increase from one response to the next (so no duplicates
 * and no revision split over two responses), and are ordered within a response. At the end
 * {@link #check} verifies that every stream holds every revision from the first to the last
 * without a gap, that all streams agree on each revision's events, and that every acknowledged
 * write is there with its value.
 *
 * <p>Thread-safe: gRPC callbacks append under the stream's lock; reconnects run on one scheduler
 * thread. {@link #close()} stops reconnecting and cancels the streams.
 */
final class WatchAudit implements AutoCloseable {
    private final List<Stream> streams = new ArrayList<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("watch-audit-reconnect").daemon().factory());
    private volatile boolean closed;

    WatchAudit(ClusterRunner cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            Stream s = new Stream(ClusterRunner.name(i), cluster.channel(i));
            streams.add(s);
            s.open();
        }
    }

    /** Waits until every stream has seen revision {@code revision}. */
    void awaitRevision(long revision, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.stream().allMatch(s -> s.lastSeen() >= revision)) {
                return;
            }
            ClusterRunner.sleep(Duration.ofMillis(50));
        }
        StringBuilder sb = new StringBuilder();
        streams.forEach(s -> sb.append(s.member).append(" at ").append(s.lastSeen()).append("; "));
        throw new AssertionError("watch streams did not reach revision " + revision + " within " + timeout + ": " + sb);
    }

    /** Violations seen on the streams as they ran plus those of the final comparison; empty if all is well. */
    List<String> check(long firstRevision, long lastRevision, List<Workload.AckedWrite> acked) {
        List<String> problems = new ArrayList<>();
        WatchLedger reference = streams.getFirst().ledger;
        for (Stream s : streams) {
            synchronized (s) {
                problems.addAll(s.ledger.violations());
                List<Long> gaps = s.ledger.gaps(firstRevision, lastRevision, 10);
                if (!gaps.isEmpty()) {
                    problems.add(s.ledger.member() + ": revisions missing from the watch stream: " + gaps);
                }
                if (s.ledger != reference) {
                    synchronized (streams.getFirst()) {
                        reference.compare(s.ledger).ifPresent(problems::add);
                    }
                }
            }
        }
        for (Workload.AckedWrite w : acked) {
            if (!reference.has(w.revision(), w.key(), w.value())) {
                problems.add("acknowledged write not in the watch history: " + w);
            }
        }
        return problems;
    }

    /** Acknowledged writes not found in the first member's watch history at the revision they were acknowledged with. */
    long lost(List<Workload.AckedWrite> acked) {
        Stream s = streams.getFirst();
        synchronized (s) {
            return acked.stream().filter(w -> !s.ledger.has(w.revision(), w.key(), w.value())).count();
        }
    }

    long events() {
        Stream s = streams.getFirst();
        synchronized (s) {
            return s.ledger.events();
        }
    }

    long reconnects() {
        return streams.stream().mapToLong(s -> s.opens - 1).sum();
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        streams.forEach(Stream::cancel);
    }

    /** The watch stream on one member and what it delivered. */
    private final class Stream implements StreamObserver<WatchResponse> {
        final String member;
        final ManagedChannel channel;
        final WatchLedger ledger;
        long opens;
        StreamObserver<WatchRequest> requests;

        Stream(String member, ManagedChannel channel) {
            this.member = member;
            this.channel = channel;
            this.ledger = new WatchLedger(member);
        }

        synchronized long lastSeen() {
            return ledger.last();
        }

        synchronized void open() {
            if (closed) {
                return;
            }
            opens++;
            requests = WatchGrpc.newStub(channel).watch(this);
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ClusterContract.bytes(Workload.PREFIX))
                    .setRangeEnd(ClusterContract.bytes(ClusterContract.prefixEnd(Workload.PREFIX)))
                    .setStartRevision(ledger.last() + 1)).build());
        }

        synchronized void cancel() {
            if (requests != null) {
                try {
                    requests.onError(new IllegalStateException("the fault run is over"));
                } catch (RuntimeException ignored) {
                    // already broken
                }
            }
        }

        @Override
        public synchronized void onNext(WatchResponse r) {
            if (r.getCanceled()) {
                ledger.violation("watch canceled (compact revision " + r.getCompactRevision() + "): " + r.getCancelReason());
                return;
            }
            List<WatchLedger.Event> events = new ArrayList<>(r.getEventsCount());
            for (Event e : r.getEventsList()) {
                Optional<String> value = e.getType() == Event.EventType.DELETE ? Optional.empty() : Optional.of(ClusterContract.string(e.getKv().getValue()));
                events.add(new WatchLedger.Event(e.getKv().getModRevision(), ClusterContract.string(e.getKv().getKey()), value));
            }
            ledger.accept(events); // a response without events is the creation or a progress notification
        }

        @Override
        public void onError(Throwable t) {
            reopenLater();
        }

        @Override
        public void onCompleted() {
            reopenLater();
        }

        private void reopenLater() {
            if (!closed) {
                try {
                    reconnects.schedule(this::open, 200, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    // closed meanwhile
                }
            }
        }
    }
}
