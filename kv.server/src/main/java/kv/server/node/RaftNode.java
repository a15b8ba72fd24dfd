package kv.server.node;

import com.google.protobuf.ByteString;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import kv.raft.MemoryStorage;
import kv.raft.ProposalDroppedException;
import kv.raft.RawNode;
import kv.raft.Ready;
import kv.raft.SoftState;
import kv.raft.StateRole;
import kv.raft.Status;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.Snapshot;

/**
 * One member's raft: the thread that owns the {@link RawNode} and turns its {@link Ready}s into
 * disk writes, messages and applies, and the thread that applies committed entries.
 *
 * <p>Everything that reaches raft (proposals, peer messages, read requests, ticks) is an event on
 * one queue, drained by the raft thread in batches: every proposal that arrived while the previous
 * Ready was being written lands in the next Ready, so one WAL fsync covers a whole batch of client
 * requests, whatever their number. Order per Ready, as {@link Ready} documents: snapshot, entries and
 * hard state durable first, then messages sent, then committed entries handed to the apply thread,
 * then {@link RawNode#advance} — except that a leader sends first and writes while its appends
 * travel: the acknowledgements are handled by this same thread after the write, so nothing commits
 * on a quorum that counts a leader entry not yet durable.
 *
 * <p>A lightly loaded member skips the hand-offs: a proposal that finds raft idle and no other
 * proposal in flight runs raft's round on the proposer's own thread (a leader sends its appends,
 * then syncs; see {@link #runHere}), and so does a message without entries (an append's answer that
 * commits) while the raft thread waits. Such a round on a leader applies a small Ready's committed
 * entries itself when the apply thread has nothing queued or running (the store's write side passes
 * between threads under one lock, in log order); a sole voter's raft thread does too, and a sole
 * voter that leads passes a linearizable read at once (see {@link #readBarrier}). Under load the
 * raft and apply threads pipeline as before: one batch applies while the next one syncs, and with
 * peers the raft thread never applies (a long apply would hold back heartbeats and appends). A
 * leader leaves a commit untold to the followers until its next append carries it, or for
 * {@link #COMMIT_TELL_NANOS} (raft's deferred commit broadcast). (The figures these were chosen by
 * are in bench/README.md, "Sole voter shortcuts" and "Light load with peers".)
 *
 * <p>A failure of the WAL, the transport contract or the state machine stops the member: the error
 * is reported to {@code onFatal} and every waiter fails with "etcdserver: server stopped".
 */
public final class RaftNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());
    /** Events handled before the raft thread looks for a Ready again (bounds latency under load). */
    private static final int MAX_EVENTS_PER_ROUND = 4096;
    /**
     * How long a leader leaves a commit untold to its followers when no append follows it (raft's
     * deferred commit broadcast): a steady stream of proposals carries each commit on the next
     * append instead of an empty append and its answer per follower; when writes stop, the
     * followers hear of the last commit this much later (they apply it and notify their watchers then).
     */
    private static final long COMMIT_TELL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The most committed entries a round run off the raft thread applies itself when the member has peers. */
    private static final int INLINE_APPLY_MAX = 8;
    /** The most proposals the raft thread puts in one raft message (see {@link #proposeAll}). */
    private static final int MAX_PROPOSALS_PER_MESSAGE = 1024;
    /** Entries kept in memory behind a snapshot so that slow followers catch up without one. */
    private static final long CATCH_UP_ENTRIES = 5000;

    private sealed interface Event {}

    private record Propose(long id, byte[] data) implements Event {}

    private record ProposeConf(long id, ConfChangeV2 change) implements Event {}

    private record Receive(Message message) implements Event {}

    private record ReadRequested() implements Event {}

    private record ApplyConf(ConfChangeV2 change, CompletableFuture<ConfState> done) implements Event {}

    private record Transfer(long to) implements Event {}

    private record Unreachable(long peer) implements Event {}

    private record SnapshotSent(long peer, boolean ok) implements Event {}

    private record SnapshotDue(long index, ConfState state) implements Event {}

    private record Stop() implements Event {}

    private final RawNode raw;
    private final MemoryStorage storage;
    private final DurableRaftLog log;
    private final Transport transport;
    private final StateMachine stateMachine;
    private final Consumer<Throwable> onFatal;
    private final NodeObserver observer;
    private final long tickNanos;
    private final long snapshotCount;

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    /** What the apply thread does, in order: committed entries, work that must run where the store writes, the stop. */
    private sealed interface ApplyWork {}

    private record Entries(List<Entry> entries) implements ApplyWork {}

    private record Task(Runnable run, CompletableFuture<?> done) implements ApplyWork {}

    private record StopApply() implements ApplyWork {}

    private final LinkedBlockingQueue<ApplyWork> toApply = new LinkedBlockingQueue<>();
    /** Work queued for the apply thread or running there; raft's round applies inline only at zero. */
    private final AtomicInteger applyBacklog = new AtomicInteger();
    /** Held by whichever thread writes the store: the apply thread for each work item, or raft's round applying inline. */
    private final ReentrantLock applyLock = new ReentrantLock();
    /**
     * Held by whichever thread runs raft: the raft thread for each round, or a proposer doing an
     * idle sole leader's round itself ({@link #propose}). Guards the RawNode, the log and every
     * field the raft thread keeps.
     */
    private final ReentrantLock raftLock = new ReentrantLock();
    /** The raft thread has stopped: nobody may run a round any more. */
    private volatile boolean raftStopped;
    /** The raft thread waits for an event: raft is idle, another thread may run a round (see {@link #runHere}). */
    private volatile boolean raftParked;
    private final ReadRounds reads;
    private final Waits waits = new Waits();
    private final AppliedIndex applied;
    private final Thread raftThread;
    private final Thread applyThread;

    private volatile SoftState softState = new SoftState(0, StateRole.FOLLOWER);
    private volatile Status status;
    private volatile Throwable failure;
    /**
     * This member leads a configuration in which it is the only voter, and has applied every entry
     * of earlier terms: no other member can commit (or acknowledge) a write without this member's
     * vote, which it gives only after the flag is cleared (see {@link #readBarrier}).
     */
    private volatile boolean soleLeader;
    // raft thread only (whoever holds raftLock)
    private boolean soleVoter;
    /** The index of the entry this member appended on becoming leader; reads wait until it is applied. */
    private long termStart = Long.MAX_VALUE;
    private boolean soloCampaignDue;
    /** When raft first held a commit untold to the followers (see {@link #COMMIT_TELL_NANOS}); valid while {@code commitUntold}. */
    private long untoldSinceNanos;
    private boolean commitUntold;
    /** The round in progress runs on a thread other than raft's (see {@link #runHere}); raft thread only otherwise. */
    private boolean inlineRound;
    /**
     * Conf changes handed to the apply thread and not yet applied to raft. Until they are, raft's
     * configuration is not the committed one (on restart it is rebuilt by replaying them): a follower
     * must not campaign in between (it could win alone in a partial configuration), so its election
     * clock stands still, as etcd's raft loop waits for such entries to apply.
     */
    private int unappliedConfChanges;
    /** The last entry applied, with the configuration then: what a snapshot sent now describes. */
    private record AppliedPoint(long index, long term, ConfState confState) {}

    private volatile AppliedPoint appliedPoint;
    // the store's writer only (under applyLock)
    private ConfState confState;
    private long snapshotIndex;

    public RaftNode(RawNode raw, MemoryStorage storage, DurableRaftLog log, Transport transport, StateMachine stateMachine,
             Duration tick, long snapshotCount, NodeObserver observer, Consumer<Throwable> onFatal) {
        this.raw = raw;
        this.storage = storage;
        this.log = log;
        this.transport = transport;
        this.stateMachine = stateMachine;
        this.onFatal = onFatal;
        this.observer = observer;
        this.tickNanos = tick.toNanos();
        // etcd asks again after 500 ms; a few heartbeats is enough on a fast network
        this.reads = new ReadRounds(raw.status().id(), Math.max(5 * tickNanos, TimeUnit.MILLISECONDS.toNanos(100)));
        this.snapshotCount = snapshotCount;
        this.applied = new AppliedIndex(stateMachine.appliedIndex());
        this.confState = storage.initialState().confState();
        this.soleVoter = isSoleVoter(confState, raw.status().id());
        this.snapshotIndex = storage.firstIndex() - 1;
        var snapMeta = storage.snapshot().getMetadata();
        this.appliedPoint = new AppliedPoint(snapMeta.getIndex(), snapMeta.getTerm(), snapMeta.getConfState());
        this.status = raw.status();
        this.raftThread = Thread.ofPlatform().name("raft").daemon(false).unstarted(this::runRaft);
        this.applyThread = Thread.ofPlatform().name("apply").daemon(false).unstarted(this::runApply);
    }

    public void start(boolean campaignAtOnce) {
        soloCampaignDue = campaignAtOnce;
        applyThread.start();
        raftThread.start();
    }

    // ---- what the rest of the server calls (any thread)

    /** The waiter for request {@code id}; register before proposing so the result cannot be missed. */
    public CompletableFuture<Object> register(long id) {
        return waits.register(id);
    }

    /** Stops waiting for {@code id} (timed out or cancelled by the client). */
    public void forget(long id) {
        waits.forget(id);
    }

    /** Proposes {@code data}; the waiter registered for {@code id} completes when it is applied. */
    public void propose(long id, byte[] data) {
        // under load (other proposals waiting) the raft thread batches them: a transport thread
        // that synced the WAL itself would hold back its other connections
        if ((soleLeader || raftParked) && waits.size() <= 1 && runHere(new Propose(id, data))) {
            return;
        }
        offer(new Propose(id, data));
    }

    /**
     * Does the raft thread's work for {@code e} on the caller's thread when raft is idle: nothing
     * queued and nobody running a round (the lock free). A proposal is appended and synced here (a
     * leader's appends go out first), a sole voter applies it here too; an append's answer commits
     * on the leader and, when the apply thread has nothing to do, applies here. So a lightly loaded
     * member costs no thread hand-off per step. False when raft is busy: queue it for the raft
     * thread's next batch. Not from a thread inside the raft loop or an apply (a waiter's callback
     * that proposes again): raft's Ready and the store's writes do not nest.
     */
    private boolean runHere(Event e) {
        if (raftLock.isHeldByCurrentThread() || applyLock.isHeldByCurrentThread() || !raftLock.tryLock()) {
            return false;
        }
        boolean wake;
        try {
            // only a holder of the lock takes events: an empty queue means none is taken and unhandled
            if (raftStopped || !events.isEmpty()) {
                return false;
            }
            boolean untold = commitUntold;
            inlineRound = true;
            handle(e);
            handleReadies();
            // the raft thread tells the followers of a commit no append carried: it must know of it
            wake = commitUntold && !untold;
        } catch (Throwable t) {
            fail(t);
            return true;
        } finally {
            inlineRound = false;
            raftLock.unlock();
        }
        if (wake) {
            LockSupport.unpark(raftThread);
        }
        return true;
    }

    public void proposeConfChange(long id, ConfChangeV2 change) {
        offer(new ProposeConf(id, change));
    }

    /**
     * A message from a peer. One without entries (an append's answer, a heartbeat, a vote) is
     * handled on the caller's (the stream's) thread when raft is idle: a leader commits and applies
     * there. Appends go to the raft thread, which takes whatever queued up during its round as one
     * batch with one fsync; syncing them on the stream's thread was no faster at one client and
     * slower under load (3 members, put-1000c 24.5k -> 21.4k QPS).
     */
    public void receive(Message m) {
        if (m.getEntriesCount() == 0 && raftParked && runHere(new Receive(m))) {
            return;
        }
        offer(new Receive(m));
    }

    /**
     * Completes once this member has applied everything committed before the call, as confirmed by
     * a quorum (ReadIndex): after that, a local read is linearizable.
     *
     * <p>A sole voter that leads completes it at once: every write acknowledged so far was
     * acknowledged by this member after it applied it (another member could only commit one as
     * leader, elected with this member's vote, and the raft thread clears {@code soleLeader} when
     * it steps down or the configuration changes, before any vote goes out).
     */
    public CompletableFuture<Long> readBarrier() {
        if (soleLeader && failure == null) {
            return CompletableFuture.completedFuture(applied.get());
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (reads.add(f)) {
            offer(new ReadRequested());
        }
        if (raftStopped) {
            // raft's thread failed the reads queued when it stopped; this one may have come after
            reads.failQueued(new NodeStoppedException(failure));
        }
        return f;
    }

    public void transferLeadership(long to) {
        offer(new Transfer(to));
    }

    /** The transport could not reach {@code peer}: raft stops streaming appends to it until it answers. */
    public void reportUnreachable(long peer) {
        if (failure == null) {
            enqueue(new Unreachable(peer));
        }
    }

    /** How sending a snapshot to {@code peer} ended. */
    public void reportSnapshot(long peer, boolean ok) {
        if (failure == null) {
            enqueue(new SnapshotSent(peer, ok));
        }
    }

    public SoftState softState() {
        return softState;
    }

    /** The raft status as of the last Ready handled. */
    public Status status() {
        return status;
    }

    public long appliedIndex() {
        return applied.get();
    }

    public CompletableFuture<Long> awaitApplied(long index) {
        return applied.await(index);
    }

    /** Proposals waiting to be applied. */
    public int pendingProposals() {
        return waits.size();
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Runs {@code work} on the apply thread, between two batches of entries: where the store's open
     * backend transaction lives (some engines bind a write transaction to its thread), so commits,
     * hashes, compaction steps and defragmentation go here. A failure of {@code work} fails the
     * returned future only.
     */
    public <T> CompletableFuture<T> onApplyThread(java.util.function.Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (failure != null) {
            f.completeExceptionally(new NodeStoppedException(failure));
            return f;
        }
        toApplyThread(new Task(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        }, f));
        if (applyThread.getState() == Thread.State.TERMINATED) {
            abandonApplyWork();
        }
        return f;
    }

    private void toApplyThread(ApplyWork w) {
        applyBacklog.incrementAndGet();
        toApply.add(w);
    }

    private void offer(Event e) {
        if (failure != null) {
            throw new NodeStoppedException(failure);
        }
        enqueue(e);
    }

    /** Queues an event for the raft thread and wakes it (an unpark of a running thread only leaves a permit). */
    private void enqueue(Event e) {
        events.add(e);
        LockSupport.unpark(raftThread);
    }

    // ---- raft thread

    private void runRaft() {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (true) {
                long wakeAt;
                raftLock.lock();
                try {
                    // events leave the queue only under the lock (see runHere)
                    List<Propose> proposals = new ArrayList<>();
                    for (int n = 0; n < MAX_EVENTS_PER_ROUND; n++) {
                        Event e = events.poll();
                        if (e == null) {
                            break;
                        }
                        if (e instanceof Propose p && proposals.size() < MAX_PROPOSALS_PER_MESSAGE) {
                            proposals.add(p);
                            continue;
                        }
                        proposeAll(proposals);
                        if (e instanceof Stop) {
                            raftStopped = true;
                            abandonQueued();
                            return;
                        }
                        handle(e);
                    }
                    proposeAll(proposals);
                    long now = System.nanoTime();
                    if (commitUntold && now - untoldSinceNanos >= COMMIT_TELL_NANOS) {
                        raw.broadcastCommit();
                    }
                    if (now - nextTick >= 0) {
                        reads.maybeRetry(raw, now);
                        if (unappliedConfChanges == 0 || softState.role() == StateRole.LEADER) {
                            raw.tick();
                        }
                        // after a long stall, do not replay the missed ticks in a burst
                        nextTick = now - nextTick > 10 * tickNanos ? now + tickNanos : nextTick + tickNanos;
                    }
                    handleReadies();
                    if (soloCampaignDue) {
                        maybeCampaignAlone();
                    }
                    wakeAt = commitUntold && untoldSinceNanos + COMMIT_TELL_NANOS - nextTick < 0
                            ? untoldSinceNanos + COMMIT_TELL_NANOS : nextTick;
                } finally {
                    raftLock.unlock();
                }
                parkUntil(wakeAt);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail(t);
        } finally {
            raftStopped = true;
            raftLock.lock(); // a round that began on another thread before the flag went up may still run
            try {
                reads.failAll(new NodeStoppedException(failure));
            } finally {
                raftLock.unlock();
            }
        }
    }

    /**
     * Waits for an event (whoever queues one unparks this thread) or the deadline. While parked,
     * raft counts as idle: a proposal or a peer message may run its round on its own thread.
     */
    private void parkUntil(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait <= 0 || !events.isEmpty()) {
            return;
        }
        raftParked = true;
        // an event queued after this check unparks: the permit makes the park return at once
        if (events.isEmpty()) {
            LockSupport.parkNanos(this, wait);
        }
        raftParked = false;
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Handles every Ready raft has; under {@link #raftLock}. */
    private void handleReadies() throws InterruptedException {
        while (raw.hasReady()) {
            Ready rd = raw.ready();
            handleReady(rd);
            raw.advance(rd);
        }
        boolean untold = raw.commitUntold();
        if (untold && !commitUntold) {
            untoldSinceNanos = System.nanoTime();
        }
        commitUntold = untold;
        if (!soleLeader && soleVoter && unappliedConfChanges == 0 && softState.role() == StateRole.LEADER
                && applied.get() >= termStart) {
            soleLeader = true;
        }
    }

    /**
     * Proposes the queued proposals as one message: a leader appends them at once and sends each
     * follower one append for all of them (a follower forwards them in one message), where one
     * message per proposal cost an append, an answer and a commit step each. Clears the list.
     */
    private void proposeAll(List<Propose> proposals) {
        if (proposals.size() == 1) {
            handle(proposals.getFirst());
        } else if (!proposals.isEmpty()) {
            List<ByteString> data = new ArrayList<>(proposals.size());
            for (Propose p : proposals) {
                data.add(ByteString.copyFrom(p.data()));
            }
            try {
                raw.propose(data);
            } catch (ProposalDroppedException dropped) {
                proposals.forEach(p -> waits.fail(p.id(), dropped));
            }
        }
        proposals.clear();
    }

    private void handle(Event e) {
        switch (e) {
            case Propose p -> {
                try {
                    raw.propose(p.data());
                } catch (ProposalDroppedException dropped) {
                    waits.fail(p.id(), dropped);
                }
            }
            case ProposeConf p -> {
                try {
                    raw.proposeConfChange(p.change());
                } catch (ProposalDroppedException dropped) {
                    waits.fail(p.id(), dropped);
                }
            }
            case Receive r -> {
                try {
                    raw.step(r.message());
                } catch (ProposalDroppedException dropped) {
                    // a proposal a follower forwarded while this member knows no leader: the follower's
                    // waiter times out and its client retries, as with etcd
                } catch (kv.raft.StepException notAPeer) {
                    // a response from a member no longer (or not yet) in the configuration, or a local
                    // message type from the network: etcd refuses it to the sender and goes on
                    LOG.log(Level.DEBUG, "dropped {0} from {1}: {2}", r.message().getType(), Long.toHexString(r.message().getFrom()),
                            notAPeer.getMessage());
                }
            }
            case ReadRequested r -> reads.requested(raw);
            case ApplyConf a -> {
                soleLeader = false;
                ConfState cs = raw.applyConfChange(a.change());
                soleVoter = isSoleVoter(cs, raw.status().id());
                unappliedConfChanges--;
                a.done().complete(cs);
                // a member alone in its cluster need not wait an election timeout to lead it; raft
                // accepts the campaign once this change is applied, i.e. after the next advance
                soloCampaignDue = soleVoter && softState.role() != StateRole.LEADER;
            }
            case Transfer t -> raw.transferLeader(t.to());
            case Unreachable u -> raw.reportUnreachable(u.peer());
            case SnapshotSent s -> raw.reportSnapshot(s.peer(), s.ok());
            case SnapshotDue s -> snapshot(s.index(), s.state());
            case Stop s -> throw new IllegalStateException("Stop is handled by the loop");
        }
    }

    private static boolean isSoleVoter(ConfState cs, long self) {
        return cs.getVotersCount() == 1 && cs.getVoters(0) == self && cs.getVotersOutgoingCount() == 0;
    }

    /** Campaigns at once when this member is the only voter and has applied its configuration. */
    private void maybeCampaignAlone() {
        Status st = raw.status();
        if (st.role() == StateRole.LEADER) {
            soloCampaignDue = false;
        } else if (soleVoter && unappliedConfChanges == 0 && applied.get() >= st.commit()) {
            soloCampaignDue = false;
            raw.campaign();
        }
    }

    private void handleReady(Ready rd) throws InterruptedException {
        rd.softState().ifPresent(s -> {
            SoftState before = softState;
            softState = s;
            if (s.role() != StateRole.LEADER) {
                soleLeader = false; // before this Ready's messages: a vote for another member included
                termStart = Long.MAX_VALUE;
            } else if (before.role() != StateRole.LEADER) {
                termStart = -1; // set once this Ready's entries, which hold the leader's first one, are stored
            }
            if (before.lead() != s.lead()) {
                observer.leaderChanged(s.lead());
                LOG.log(Level.INFO, "raft leader is now {0} (was {1}), this member is {2}",
                        Long.toHexString(s.lead()), Long.toHexString(before.lead()), s.role());
                if (s.lead() == 0) {
                    reads.abandon(new NoLeaderException()); // the leader that was to answer is gone: clients retry
                }
            }
        });
        if (rd.hasSnapshot()) {
            log.saveSnapshot(rd.snapshot());
        }
        // a leader's appends go out while its own WAL write is in flight (raft thesis 10.2.1, as etcd):
        // the entries commit once a quorum has them durable, which may or may not include the leader;
        // every other member's messages (votes, append responses) wait for what they promise to be durable
        boolean leaderSendsFirst = softState.role() == StateRole.LEADER;
        if (leaderSendsFirst) {
            transport.send(withFreshSnapshots(rd.messages()));
        }
        long t0 = System.nanoTime();
        log.save(rd.hardState(), rd.entries(), rd.mustSync());
        if (!rd.entries().isEmpty() || rd.hasHardState()) {
            observer.walSaved(rd.mustSync(), System.nanoTime() - t0);
        }
        if (rd.hasSnapshot()) {
            storage.applySnapshot(rd.snapshot());
        }
        if (rd.hasHardState()) {
            storage.setHardState(rd.hardState());
        }
        storage.append(rd.entries());
        if (termStart < 0) {
            termStart = storage.lastIndex();
        }
        if (!leaderSendsFirst) {
            transport.send(withFreshSnapshots(rd.messages()));
        }
        reads.answered(rd.readStates(), applied, raw);
        if (rd.hasSnapshot()) {
            soleVoter = isSoleVoter(rd.snapshot().getMetadata().getConfState(), raw.status().id());
            toApplyThread(new Entries(List.of(snapshotMarker(rd.snapshot()))));
        }
        if (!rd.committedEntries().isEmpty()) {
            for (Entry e : rd.committedEntries()) {
                if (e.getType() == kv.raft.raftpb.EntryType.ENTRY_CONF_CHANGE || e.getType() == kv.raft.raftpb.EntryType.ENTRY_CONF_CHANGE_V2) {
                    unappliedConfChanges++;
                }
            }
            observer.committed(rd.committedEntries().size());
            // inline only at light load (nothing waits beyond this batch): under load the apply
            // thread applies a batch while this one syncs the next. With peers only by a leader, in
            // a round run off the raft thread (which must not fall behind on heartbeats and appends):
            // there a client waits for the apply; a follower's answer to the append that brought the
            // commit goes out only once its transport thread is done with the round
            if ((soleVoter || inlineRound && softState.role() == StateRole.LEADER && rd.committedEntries().size() <= INLINE_APPLY_MAX)
                    && unappliedConfChanges == 0 && waits.size() <= rd.committedEntries().size()
                    && applyBacklog.get() == 0 && applyLock.tryLock()) {
                try {
                    applyBatch(rd.committedEntries());
                } finally {
                    applyLock.unlock();
                }
            } else {
                toApplyThread(new Entries(rd.committedEntries()));
            }
        }
        status = raw.status();
    }

    /**
     * A snapshot goes out describing what this member has applied now, as etcd sends its merged
     * snapshot: the backend data streamed with it is read later still, so it holds at least that
     * much; and a member added after the last raft snapshot finds itself in its configuration
     * (raft refuses a snapshot whose configuration lacks the receiver).
     */
    private List<Message> withFreshSnapshots(List<Message> out) {
        boolean any = false;
        for (Message m : out) {
            any |= m.getType() == kv.raft.raftpb.MessageType.MSG_SNAP;
        }
        if (!any) {
            return out;
        }
        AppliedPoint p = appliedPoint;
        List<Message> fresh = new ArrayList<>(out.size());
        for (Message m : out) {
            if (m.getType() == kv.raft.raftpb.MessageType.MSG_SNAP && p.index() > m.getSnapshot().getMetadata().getIndex()) {
                m = m.toBuilder().setSnapshot(m.getSnapshot().toBuilder().setMetadata(kv.raft.raftpb.SnapshotMetadata.newBuilder()
                        .setIndex(p.index()).setTerm(p.term()).setConfState(p.confState()))).build();
            }
            fresh.add(m);
        }
        return fresh;
    }

    /** The raft thread is gone: whoever waits on an event it will never handle must not hang. */
    private void abandonQueued() {
        NodeStoppedException stopped = new NodeStoppedException(failure);
        for (Event e; (e = events.poll()) != null; ) {
            if (e instanceof ApplyConf a) {
                a.done().completeExceptionally(stopped);
            }
        }
    }

    private void snapshot(long index, ConfState state) {
        Snapshot snap = storage.createSnapshot(index, state, ByteString.EMPTY);
        log.saveSnapshot(snap);
        long compactTo = index - CATCH_UP_ENTRIES;
        if (compactTo > storage.firstIndex()) {
            storage.compact(compactTo);
            log.releaseTo(compactTo);
        }
        LOG.log(Level.INFO, "saved raft snapshot at index {0}, log compacted to {1}", index, storage.firstIndex() - 1);
    }

    // ---- apply thread

    private static final long SNAPSHOT_MARKER_TERM = -1;

    private static Entry snapshotMarker(Snapshot s) {
        return Entry.newBuilder().setIndex(s.getMetadata().getIndex()).setTerm(SNAPSHOT_MARKER_TERM).build();
    }

    /** Work queued after the apply thread ended: nothing will run it. */
    private void abandonApplyWork() {
        for (ApplyWork w; (w = toApply.poll()) != null; ) {
            if (w instanceof Task t) {
                t.done().completeExceptionally(new NodeStoppedException(failure));
            }
        }
    }

    private void runApply() {
        try {
            while (true) {
                ApplyWork w = toApply.take();
                applyLock.lock();
                try {
                    switch (w) {
                        case StopApply stop -> {
                            if (failure == null) {
                                stateMachine.sync(); // the store's open batch is committed where the store writes
                            }
                            return;
                        }
                        case Task t -> t.run().run();
                        case Entries en -> applyBatch(en.entries());
                    }
                } finally {
                    applyLock.unlock();
                    applyBacklog.decrementAndGet();
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.CompletionException stopped) {
            if (!(stopped.getCause() instanceof NodeStoppedException)) {
                fail(stopped);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            abandonApplyWork();
        }
    }

    /** Applies committed entries in order; under {@link #applyLock}, on the apply thread or (sole voter) the raft thread. */
    private void applyBatch(List<Entry> batch) throws InterruptedException {
        for (Entry e : batch) {
            applyOne(e);
        }
        Entry last = batch.getLast();
        appliedPoint = last.getTerm() == SNAPSHOT_MARKER_TERM
                ? new AppliedPoint(snapshotIndex, storage.snapshot().getMetadata().getTerm(), confState)
                : new AppliedPoint(last.getIndex(), last.getTerm(), confState);
        observer.applied(batch.size());
        maybeSnapshot();
    }

    private void applyOne(Entry e) throws InterruptedException {
        if (e.getTerm() == SNAPSHOT_MARKER_TERM) {
            Snapshot s = storage.snapshot();
            stateMachine.restore(s);
            confState = s.getMetadata().getConfState();
            snapshotIndex = s.getMetadata().getIndex();
            applied.advanceTo(snapshotIndex);
            return;
        }
        boolean alreadyApplied = e.getIndex() <= stateMachine.appliedIndex();
        switch (e.getType()) {
            case ENTRY_NORMAL -> {
                // applied before a restart: its effects are already in the backend
                if (!alreadyApplied && !e.getData().isEmpty()) {
                    Applied a = stateMachine.apply(e);
                    if (a.requestId() != 0) {
                        waits.complete(a.requestId(), a.result());
                    }
                }
            }
            case ENTRY_CONF_CHANGE, ENTRY_CONF_CHANGE_V2 -> {
                // raft rebuilds its configuration from these on every start: always hand them back,
                // even when the state machine recorded their effect before a restart
                ConfChangeV2 cc = ConfChanges.asV2(e);
                CompletableFuture<ConfState> done = new CompletableFuture<>();
                enqueue(new ApplyConf(cc, done));
                confState = done.join();
                if (!alreadyApplied) {
                    Applied a = stateMachine.applyConfChange(e, cc, confState);
                    if (a.requestId() != 0) {
                        waits.complete(a.requestId(), a.result());
                    }
                }
            }
            case UNRECOGNIZED -> throw new IllegalStateException("entry " + e.getIndex() + " has an unknown type");
        }
        applied.advanceTo(e.getIndex());
    }

    private void maybeSnapshot() {
        long now = applied.get();
        if (now - snapshotIndex < snapshotCount) {
            return;
        }
        stateMachine.sync();
        snapshotIndex = now;
        enqueue(new SnapshotDue(now, confState));
    }

    // ---- stopping

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            LOG.log(Level.ERROR, "member stopped: " + t, t);
            NodeStoppedException stopped = new NodeStoppedException(t);
            waits.failAll(stopped);
            applied.failAll(stopped);
            onFatal.accept(t);
        }
        enqueue(new Stop());
        toApplyThread(new StopApply());
    }

    /** Stops both threads after the work already queued (in-flight requests finish), then closes the log. */
    @Override
    public void close() {
        enqueue(new Stop());
        try {
            raftThread.join();
            toApplyThread(new StopApply());
            applyThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NodeStoppedException stopped = new NodeStoppedException(null);
        waits.failAll(stopped);
        applied.failAll(stopped);
        transport.close();
        log.close();
    }
}
