package kv.raft.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import kv.raft.MemoryStorage;
import kv.raft.ProgressState;
import kv.raft.ProposalDroppedException;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.ReadState;
import kv.raft.Ready;
import kv.raft.StateRole;
import kv.raft.Status;
import kv.raft.StepException;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;

/**
 * A deterministic simulation of a raft group built from {@link RawNode}s: one seeded
 * {@link SplittableRandom} and a logical clock drive everything (no threads, no wall time), so a
 * seed reproduces a run exactly, down to the {@link Result#traceHash()} of all its events.
 *
 * <p>A run has a chaos phase (lossy, duplicating, reordering network with partitions; crashes at
 * any point of Ready handling, in particular right after a vote, an election or a commit;
 * membership changes including joint consensus; leader transfers; forced elections; snapshots and
 * log compaction; client proposals) followed by a heal phase (all nodes up, reliable network) in
 * which a proposal must commit on a majority within {@link SimOptions#healTicks()} ticks. After
 * every step the {@link SafetyChecker} invariants are checked; the first violation ends the run.
 *
 * <p>Persistence follows {@link Ready}'s contract: snapshot, entries and hard state are written to
 * the node's {@link MemoryStorage} (its disk) before messages leave, then committed entries are
 * applied, then {@code advance}. A crash discards the RawNode and whatever of the current Ready was
 * not written yet; a restart builds a new RawNode from the storage alone.
 */
public final class Simulation {

    /** The outcome of one run. {@code violation} is null when every invariant held. */
    public record Result(long seed, long steps, long traceHash, int committed, Counters counters,
                         Violation violation) {
        public boolean ok() {
            return violation == null;
        }
    }

    /** What happened in a run: evidence that the schedule exercised what it claims to. */
    public record Counters(long crashes, long partitions, long leaderTerms, long confChanges, long jointConfigs,
                           long transfers, long snapshots, long dropped, long maxHealTicks, long reads) {
        /** Sums, except {@code maxHealTicks}: the longest wait for progress after healing. */
        public Counters plus(Counters o) {
            return new Counters(crashes + o.crashes, partitions + o.partitions, leaderTerms + o.leaderTerms,
                    confChanges + o.confChanges, jointConfigs + o.jointConfigs, transfers + o.transfers,
                    snapshots + o.snapshots, dropped + o.dropped, Math.max(maxHealTicks, o.maxHealTicks), reads + o.reads);
        }

        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private record PendingRead(long asker, long floor) {}

    private enum CrashPoint { NONE, BEFORE_PERSIST, AFTER_PERSIST, AFTER_SEND, AFTER_APPLY }

    private static final System.Logger SILENT = new SilentLogger("kv.raft.sim");

    private final long seed;
    private final SimOptions opts;
    private final SplittableRandom rng;
    private final SimNetwork net;
    private final SafetyChecker checker;
    private final MembershipChanges changes;
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    private final Map<Long, Status> statuses = new TreeMap<>();
    private final Set<Long> everMember = new TreeSet<>();
    private final Set<Long> crashPending = new HashSet<>();
    private final Set<Long> probeAppliedBy = new HashSet<>();
    private final boolean preVote;
    private final boolean checkQuorum;
    /** Leaders defer commit broadcasts (as kvd's do) and flush them on each tick, as kvd's raft loop does when idle. */
    private final boolean deferCommit;
    private final int electionTick;
    private final long maxSizePerMsg;
    private final int maxInflight;
    /** Per-seed multiplier of the fault rates: some runs are calm, some stormy. */
    private final double intensity;
    private long now;
    private long trace = 17;
    private long nextId;
    private long proposals;
    private long ccBlockedUntil;
    private boolean healing;
    private long crashes;
    private long partitions;
    private long confChanges;
    private long jointConfigs;
    private long transfers;
    private long healTicks;
    private long snapshots;
    /** Reads asked and not yet answered, by context: who asked, and the highest index applied anywhere then. */
    private final Map<ByteString, PendingRead> reads = new HashMap<>();
    private long readsAsked;
    private long readsAnswered;

    private Simulation(long seed, SimOptions opts) {
        this.seed = seed;
        this.opts = opts;
        this.rng = new SplittableRandom(seed);
        this.net = new SimNetwork(rng, opts.dropRate(), opts.dupRate(), opts.maxDelay() * (1 + rng.nextInt(2)),
                new double[] {0.01, 0.03, 0.1}[rng.nextInt(3)]);
        this.checker = new SafetyChecker(seed, opts.strictChecks(), this::report);
        this.changes = new MembershipChanges(rng);
        this.preVote = rng.nextBoolean();
        this.checkQuorum = rng.nextBoolean();
        // drawn apart from rng so that a seed replays the same network and faults with either value
        this.deferCommit = new SplittableRandom(~seed).nextBoolean();
        this.electionTick = 10;
        // 0 = one entry per append message: a new leader's first entries travel separately.
        this.maxSizePerMsg = new long[] {0, 64, 1 << 20}[rng.nextInt(3)];
        this.maxInflight = rng.nextBoolean() ? 2 : 64;
        this.intensity = new double[] {0.5, 1, 2, 4}[rng.nextInt(4)];
        List<Long> voters = initialVoters();
        everMember.addAll(voters);
        // Bootstrapped (not seeded from a snapshot listing the voters) so that the initial
        // membership is in the log, where members added later find it.
        for (long id : voters) {
            SimNode n = new SimNode(id, new MemoryStorage());
            nodes.put(id, n);
            n.raw = newRawNode(id, n.storage);
            n.raw.bootstrap(voters);
        }
        nextId = voters.size() + 1;
    }

    /** Runs one seed to completion or to its first violation. */
    public static Result run(long seed, SimOptions opts) {
        return new Simulation(seed, opts).run();
    }

    /**
     * Replays one seed from the command line and prints its outcome (and failure report):
     * {@code seed [nodes] [default|stormy] [FAULT...]}.
     */
    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SimOptions opts = args.length > 2 && args[2].equals("stormy") ? SimOptions.stormy(n) : SimOptions.defaults(n);
        Set<RaftConfig.TestingFault> faults = new HashSet<>();
        for (int i = 3; i < args.length; i++) {
            faults.add(RaftConfig.TestingFault.valueOf(args[i]));
        }
        Result r = run(seed, opts.withFaults(faults, opts.strictChecks()));
        System.out.println("seed " + seed + ": " + r.steps() + " steps, " + r.committed() + " committed, trace "
                + Long.toHexString(r.traceHash()));
        System.out.println(r.ok() ? "no violation" : r.violation().describe());
    }

    private Result run() {
        try {
            for (now = 1; now <= opts.chaosTicks(); now++) {
                chaos();
                step();
            }
            healPhase();
            return new Result(seed, now, trace, checker.committedCount(), counters(), null);
        } catch (SafetyChecker.Failure f) {
            return new Result(seed, now, trace, checker.committedCount(), counters(), f.violation);
        }
    }

    private Counters counters() {
        return new Counters(crashes, partitions, checker.leaderTerms(), confChanges, jointConfigs, transfers,
                snapshots, net.dropped(), healTicks, readsAnswered);
    }

    private List<Long> initialVoters() {
        List<Long> voters = new ArrayList<>();
        for (long id = 1; id <= opts.nodes(); id++) {
            voters.add(id);
        }
        return voters;
    }

    private RawNode newRawNode(long id, MemoryStorage storage) {
        RaftConfig cfg = RaftConfig.of(id, rng.split()).withTicks(electionTick, 1).withPreVote(preVote)
                .withDeferredCommitBroadcast(deferCommit)
                .withApplied(storage.snapshot().getMetadata().getIndex())
                .withCheckQuorum(checkQuorum).withMaxSizePerMsg(maxSizePerMsg).withMaxInflightMsgs(maxInflight)
                .withTestingFaults(opts.faults());
        return new RawNode(cfg, storage, SILENT);
    }

    // ---- one step: deliver, tick, handle Readies, check ----------------------------------------

    private void step() {
        checker.atStep(now);
        restartDue();
        maybeCompact();
        for (Message m : net.due(now)) {
            deliver(m);
        }
        for (Message m : net.lostSnapshots()) {
            snapshotStatus(m, false);
        }
        for (SimNode n : nodes.values()) {
            if (n.up()) {
                guarded(n, n.raw::broadcastCommit);
                guarded(n, n.raw::tick);
            }
        }
        for (SimNode n : List.copyOf(nodes.values())) {
            if (n.up()) {
                handleReady(n);
            }
        }
        statuses.clear();
        for (SimNode n : nodes.values()) {
            if (n.up()) {
                Status st = n.raw.status();
                statuses.put(n.id, st);
                checker.stepEnded(n, st);
                snapshotOnDemand(n, st);
            }
        }
        retireRemoved();
    }

    /**
     * Like a server, a leader whose follower needs a snapshot cuts a fresh one: a member added
     * after the last snapshot refuses older ones (it is not in their configuration).
     */
    private void snapshotOnDemand(SimNode n, Status st) {
        if (st.role() == StateRole.LEADER
                && st.progress().values().stream().anyMatch(p -> p.state() == ProgressState.SNAPSHOT)) {
            snapshot(n);
        }
    }

    /** The application snapshots its state at its applied index; false if there is nothing new. */
    private boolean snapshot(SimNode n) {
        long at = n.applyCursor;
        if (at <= n.storage.snapshot().getMetadata().getIndex() || at > n.stableLast) {
            return false;
        }
        byte[] data = ByteBuffer.allocate(8).putLong(n.prefixHash(at)).array();
        n.storage.createSnapshot(at, n.confState, ByteString.copyFrom(data));
        mix(18, n.id, at);
        return true;
    }

    private void deliver(Message m) {
        SimNode n = nodes.get(m.getTo());
        if (n == null || !n.up()) {
            snapshotStatus(m, false);
            return;
        }
        mix(1, m.getTypeValue(), m.getFrom(), m.getTo(), m.getTerm(), m.getIndex(), m.getEntriesCount(), m.getCommit());
        guarded(n, () -> n.raw.step(m));
        snapshotStatus(m, true);
    }

    /** Like a transport, tells the sender of a snapshot whether it got through. */
    private void snapshotStatus(Message m, boolean delivered) {
        SimNode from = nodes.get(m.getFrom());
        if (m.getType() == MessageType.MSG_SNAP && from != null && from.up()) {
            mix(16, m.getFrom(), m.getTo(), delivered ? 1 : 0);
            guarded(from, () -> from.raw.reportSnapshot(m.getTo(), delivered));
        }
    }

    /**
     * The application of a random running node snapshots its state at its applied index and
     * compacts its log up to there or a little before, so that lagging or new members need
     * snapshots. The snapshot's data is the hash of the log prefix it replaces.
     */
    private void maybeCompact() {
        if (rng.nextDouble() >= opts.compactRate()) {
            return;
        }
        SimNode n = randomUpNode();
        if (n == null) {
            return;
        }
        if (!snapshot(n)) {
            return;
        }
        long at = n.applyCursor;
        long compactTo = Math.max(n.storage.firstIndex(), at - rng.nextInt(8));
        if (compactTo > n.storage.firstIndex() - 1) {
            n.storage.compact(compactTo);
        }
        mix(17, n.id, at, compactTo);
    }

    /** Runs a call into a node; expected refusals are ignored, anything else is the node panicking. */
    private void guarded(SimNode n, Runnable call) {
        try {
            call.run();
        } catch (ProposalDroppedException | StepException expected) {
            mix(2, n.id);
        } catch (SafetyChecker.Failure f) {
            throw f;
        } catch (RuntimeException e) {
            throw checker.fail(Violation.Kind.NODE_PANIC, "node " + n.id + " threw " + e, List.of(n.id));
        }
    }

    private void handleReady(SimNode n) {
        if (!n.raw.hasReady()) {
            if (crashPending.remove(n.id)) {
                crash(n);
            }
            return;
        }
        Ready rd = n.raw.ready();
        for (ReadState rs : rd.readStates()) {
            PendingRead asked = reads.remove(rs.requestCtx());
            if (asked != null) {
                readsAnswered++;
                mix(16, n.id, rs.index());
                checker.readAnswered(n.id, asked.asker(), asked.floor(), rs.index());
            }
        }
        if (rd.softState().isPresent() && rd.softState().get().role() == StateRole.LEADER) {
            // Seen here too: a leader that crashes before its first message still led its term.
            checker.leaderSeen(n.raw.status().term(), n.id, "became leader");
        }
        CrashPoint cp = crashPoint(n, rd);
        if (cp == CrashPoint.BEFORE_PERSIST) {
            crash(n);
            return;
        }
        persist(n, rd);
        if (cp == CrashPoint.AFTER_PERSIST) {
            crash(n);
            return;
        }
        for (Message m : rd.messages()) {
            observe(n, m);
            net.send(now, m);
        }
        if (cp == CrashPoint.AFTER_SEND) {
            crash(n);
            return;
        }
        apply(n, rd);
        guarded(n, () -> n.raw.advance(rd));
        if (cp == CrashPoint.AFTER_APPLY && n.up()) {
            crash(n);
        }
    }

    private CrashPoint crashPoint(SimNode n, Ready rd) {
        if (crashPending.remove(n.id)) {
            return CrashPoint.values()[1 + rng.nextInt(4)];
        }
        if (healing) {
            return CrashPoint.NONE;
        }
        // Crashes at the moments that matter: right after a vote left, right after winning an
        // election (its first entry persisted but not yet replicated), right after a leader
        // applied newly committed entries.
        double p = opts.crashAtEventRate();
        if (grantsVote(rd) && rng.nextDouble() < p) {
            return CrashPoint.AFTER_SEND;
        }
        boolean leader = rd.softState().map(ss -> ss.role() == StateRole.LEADER).orElse(false);
        if (leader && rng.nextDouble() < p) {
            return rng.nextBoolean() ? CrashPoint.AFTER_PERSIST : CrashPoint.AFTER_SEND;
        }
        boolean leads = statuses.containsKey(n.id) && statuses.get(n.id).role() == StateRole.LEADER;
        if (leads && !rd.committedEntries().isEmpty() && rng.nextDouble() < p / 4) {
            return CrashPoint.AFTER_APPLY;
        }
        return CrashPoint.NONE;
    }

    private static boolean grantsVote(Ready rd) {
        for (Message m : rd.messages()) {
            if (m.getType() == MessageType.MSG_VOTE_RESP && !m.getReject()) {
                return true;
            }
        }
        return false;
    }

    /** Writes what the Ready asks to persist, in the order Ready prescribes, checking as it goes. */
    private void persist(SimNode n, Ready rd) {
        if (rd.hasSnapshot()) {
            Snapshot snap = rd.snapshot();
            long si = snap.getMetadata().getIndex();
            long hash = snap.getData().asReadOnlyByteBuffer().getLong();
            checker.snapshotInstalled(n, si, snap.getMetadata().getTerm(), hash);
            n.storage.applySnapshot(snap);
            n.recordSnapshot(si, hash);
            snapshots++;
            mix(15, n.id, si);
        }
        if (!rd.entries().isEmpty()) {
            long first = rd.entries().getFirst().getIndex();
            if (first < n.storage.firstIndex() || first > n.stableLast + 1) {
                throw checker.fail(Violation.Kind.NODE_PANIC, "node " + n.id + " asked to persist entries from " + first
                        + " outside its stable log [" + n.storage.firstIndex() + ", " + n.stableLast + "]", List.of(n.id));
            }
            long prevTerm = first == 1 ? 0 : n.storage.term(first - 1);
            n.storage.append(rd.entries());
            for (Entry e : rd.entries()) {
                checker.entryPersisted(n, e, n.recordPersisted(e), prevTerm);
                prevTerm = e.getTerm();
            }
            mix(3, n.id, first, rd.entries().size());
        }
        if (rd.hasHardState()) {
            checker.hardStatePersisted(n, rd.hardState());
            n.storage.setHardState(rd.hardState());
            n.persistedHs = rd.hardState();
            mix(4, n.id, rd.hardState().getTerm(), rd.hardState().getVote(), rd.hardState().getCommit());
        }
    }

    /** Election safety and vote durability as seen on the wire. */
    private void observe(SimNode n, Message m) {
        switch (m.getType()) {
            case MSG_APP, MSG_HEARTBEAT, MSG_SNAP -> checker.leaderSeen(m.getTerm(), n.id, "sent " + m.getType());
            case MSG_TIMEOUT_NOW -> transfers++;
            case MSG_VOTE_RESP -> {
                if (!m.getReject()) {
                    checker.voteGranted(n, m.getTerm(), m.getTo());
                }
            }
            default -> { }
        }
    }

    /** Applies the snapshot and committed entries to the state machine. */
    private void apply(SimNode n, Ready rd) {
        long term = n.persistedHs.getTerm();
        if (rd.hasSnapshot()) {
            // The state machine is replaced by the snapshot's (checked equal to the applied history).
            long si = rd.snapshot().getMetadata().getIndex();
            n.applyCursor = si;
            n.applied = Math.max(n.applied, si);
            n.confState = rd.snapshot().getMetadata().getConfState();
        }
        for (Entry e : rd.committedEntries()) {
            boolean firstEver = e.getIndex() > checker.committedCount();
            checker.applied(n, e, term);
            mix(5, n.id, e.getIndex(), e.getTerm());
            if (e.getType() != EntryType.ENTRY_NORMAL) {
                ConfState cs = applyConfChange(n, e);
                if (firstEver && cs != null) {
                    confChanges += e.getIndex() > opts.nodes() ? 1 : 0; // not the bootstrap ones
                    jointConfigs += cs.getVotersOutgoingCount() > 0 ? 1 : 0;
                    membershipChanged(cs, e.getIndex());
                }
            } else if (e.getData().startsWith(PROBE)) {
                probeAppliedBy.add(n.id);
            }
        }
    }

    private ConfState applyConfChange(SimNode n, Entry e) {
        ConfState[] out = {n.confState};
        guarded(n, () -> {
            try {
                out[0] = e.getType() == EntryType.ENTRY_CONF_CHANGE
                        ? n.raw.applyConfChange(ConfChange.parseFrom(e.getData()))
                        : n.raw.applyConfChange(ConfChangeV2.parseFrom(e.getData()));
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("undecodable conf change at " + e.getIndex(), ex);
            }
        });
        n.confState = out[0];
        return out[0];
    }

    /** Notes the members that the configuration committed at {@code index} removed. */
    private void membershipChanged(ConfState cs, long index) {
        Set<Long> in = MembershipChanges.members(cs);
        everMember.addAll(in);
        for (long id : everMember) {
            SimNode m = nodes.get(id);
            if (!in.contains(id) && m != null && m.removedAt == 0) {
                m.removedAt = index;
                m.removedBy = List.copyOf(cs.getVotersList());
            }
        }
    }

    /**
     * Shuts down removed members once a majority of the configuration that removed them knows the
     * removal is committed. Stopping at once (e.g. a leader that removed itself) could leave the
     * others unaware of the commit and stuck in a configuration that still needs the removed node;
     * a server waits too (etcd stops a removed member with a delay).
     */
    private void retireRemoved() {
        for (SimNode n : nodes.values()) {
            if (n.removedAt == 0 || n.decommissioned) {
                continue;
            }
            long aware = n.removedBy.stream()
                    .filter(v -> statuses.containsKey(v) && statuses.get(v).commit() >= n.removedAt).count();
            if (aware > n.removedBy.size() / 2) {
                decommission(n.id);
            }
        }
    }

    // ---- crashes and restarts ------------------------------------------------------------------

    private void crash(SimNode n) {
        mix(6, n.id);
        crashes++;
        n.raw = null;
        n.restartAt = now + 1 + (rng.nextBoolean() ? rng.nextInt(4) : rng.nextInt(40));
    }

    /** A removed member is shut down for good (its id is never reused), as a server would. */
    private void decommission(long id) {
        SimNode n = nodes.get(id);
        mix(7, id);
        n.decommissioned = true;
        n.raw = null;
    }

    private void restartDue() {
        for (SimNode n : nodes.values()) {
            if (!n.up() && !n.decommissioned && n.restartAt <= now) {
                restart(n);
            }
        }
    }

    private void restart(SimNode n) {
        mix(8, n.id);
        n.incarnation++;
        // The state machine restarts from the storage's snapshot; later entries are delivered again.
        n.applyCursor = n.storage.snapshot().getMetadata().getIndex();
        n.confState = n.storage.snapshot().getMetadata().getConfState();
        n.lastCommit = 0;
        try {
            n.raw = newRawNode(n.id, n.storage);
            if (n.id <= opts.nodes() && n.storage.lastIndex() == 0) {
                // It crashed before persisting its bootstrap: like a server finding an empty data
                // directory, it bootstraps again. (Restarting it empty would let node 1 apply just
                // "add node 1" from the leader's log and elect itself in a one-voter config.)
                n.raw.bootstrap(initialVoters());
            }
        } catch (RuntimeException e) {
            throw checker.fail(Violation.Kind.NODE_PANIC, "node " + n.id + " failed to restart: " + e, List.of(n.id));
        }
        checker.restarted(n, n.raw.status());
    }

    // ---- the chaos schedule --------------------------------------------------------------------

    private void chaos() {
        if (rng.nextDouble() < opts.partitionRate() * intensity) {
            repartition();
        }
        if (rng.nextDouble() < opts.crashRate() * intensity) {
            // Half of the crashes hit the leader: that is what makes old-term entries matter.
            Long leader = leaderId();
            SimNode victim = leader != null && rng.nextBoolean() ? nodes.get(leader) : randomUpNode();
            if (victim != null) {
                crashPending.add(victim.id);
            }
        }
        if (rng.nextDouble() < opts.proposeRate()) {
            proposeValue();
        }
        if (rng.nextDouble() < opts.readRate()) {
            askRead();
        }
        if (rng.nextDouble() < opts.confChangeRate() && now >= ccBlockedUntil) {
            changeMembership();
        }
        if (rng.nextDouble() < opts.transferRate() * intensity) {
            transferLeader();
        }
        if (rng.nextDouble() < opts.campaignRate() * intensity) {
            forceCampaigns();
        }
    }

    /** One or two nodes campaign at the same tick: split votes and same-term candidates. */
    private void forceCampaigns() {
        int count = rng.nextBoolean() ? 2 : 1;
        for (int i = 0; i < count; i++) {
            SimNode n = randomUpNode();
            if (n != null) {
                mix(14, n.id);
                guarded(n, n.raw::campaign);
            }
        }
    }

    private void repartition() {
        double r = rng.nextDouble();
        List<Long> live = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (!n.decommissioned) {
                live.add(n.id);
            }
        }
        Long leader = leaderId();
        partitions++;
        if (r < 0.4) {
            net.heal();
            mix(9, 0);
        } else if (r < 0.75 || leader == null) {
            net.partition(live);
            mix(9, 1);
        } else {
            net.isolate(leader);
            mix(9, 2, leader);
        }
    }

    private void proposeValue() {
        // Mostly to the newest leader, sometimes to any node acting as leader (a stale one appends
        // entries that will conflict), sometimes to any node (forwarded or dropped).
        int r = rng.nextInt(10);
        SimNode target;
        if (r < 6 && leaderId() != null) {
            target = nodes.get(leaderId());
        } else if (r < 8) {
            target = actingLeader();
        } else {
            target = randomUpNode();
        }
        if (target == null || !target.up()) {
            return;
        }
        int batch = rng.nextInt(8) == 0 ? 2 + rng.nextInt(3) : 1;
        List<ByteString> values = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            values.add(ByteString.copyFromUtf8("v" + (++proposals)));
        }
        mix(10, target.id, proposals);
        guarded(target, () -> target.raw.propose(values));
    }

    /**
     * A linearizable read asked of a node acting as leader (a stale one too) or of any node (a
     * follower forwards it): its read index, when one comes, must cover every entry applied by then.
     */
    private void askRead() {
        SimNode target = rng.nextBoolean() ? actingLeader() : randomUpNode();
        if (target == null || !target.up()) {
            return;
        }
        ByteString ctx = ByteString.copyFromUtf8("read-" + (++readsAsked));
        reads.put(ctx, new PendingRead(target.id, checker.committedCount()));
        mix(15, target.id, readsAsked);
        guarded(target, () -> target.raw.readIndex(ctx.toByteArray()));
    }

    /** Any node acting as leader as of the last step (a stale one too), else any node that is up. */
    private SimNode actingLeader() {
        List<Long> leaders = new ArrayList<>();
        statuses.forEach((id, st) -> {
            if (st.role() == StateRole.LEADER) {
                leaders.add(id);
            }
        });
        return leaders.isEmpty() ? randomUpNode() : nodes.get(leaders.get(rng.nextInt(leaders.size())));
    }

    private void transferLeader() {
        Long leader = leaderId();
        if (leader == null) {
            return;
        }
        List<Long> voters = statuses.get(leader).config().getVotersList();
        long to = voters.get(rng.nextInt(voters.size()));
        SimNode n = nodes.get(leader);
        mix(11, leader, to);
        guarded(n, () -> n.raw.transferLeader(to));
    }

    private void changeMembership() {
        Long leader = leaderId();
        if (leader == null) {
            return;
        }
        SimNode ln = nodes.get(leader);
        ConfState cs = statuses.get(leader).config();
        ccBlockedUntil = now + 30;
        Object cc = changes.next(cs, spareOrNewAvailable(), this::spareOrNewNode);
        if (cc != null) {
            proposeCc(ln, cc);
        }
    }

    private void proposeCc(SimNode leader, Object cc) {
        mix(12, leader.id, cc.hashCode());
        guarded(leader, () -> {
            switch (cc) {
                case ConfChange v1 -> leader.raw.proposeConfChange(v1);
                case ConfChangeV2 v2 -> leader.raw.proposeConfChange(v2);
                default -> throw new IllegalArgumentException("not a conf change: " + cc);
            }
        });
    }

    private boolean spareOrNewAvailable() {
        return nextId <= opts.nodes() + 4L || spare() != null;
    }

    private Long spare() {
        for (SimNode n : nodes.values()) {
            if (!n.decommissioned && !everMember.contains(n.id)) {
                return n.id;
            }
        }
        return null;
    }

    /** A running node that is not (and never was) a member, or a brand-new empty one. */
    private long spareOrNewNode() {
        Long spare = spare();
        if (spare != null) {
            return spare;
        }
        long id = nextId++;
        SimNode n = new SimNode(id, new MemoryStorage());
        nodes.put(id, n);
        n.raw = newRawNode(id, n.storage);
        return id;
    }

    private SimNode randomUpNode() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.up()) {
                up.add(n);
            }
        }
        return up.isEmpty() ? null : up.get(rng.nextInt(up.size()));
    }

    /** The running leader of the highest term at the end of the last step, or null. */
    private Long leaderId() {
        Long best = null;
        long bestTerm = -1;
        for (Status st : statuses.values()) {
            SimNode n = nodes.get(st.id());
            if (st.role() == StateRole.LEADER && n.up() && st.term() > bestTerm) {
                best = st.id();
                bestTerm = st.term();
            }
        }
        return best;
    }

    // ---- the heal phase: everything up, reliable network, progress required ---------------------

    private static final ByteString PROBE = ByteString.copyFromUtf8("probe-");

    private void healPhase() {
        healing = true;
        crashPending.clear();
        net.makeReliable();
        for (SimNode n : nodes.values()) {
            if (!n.up() && !n.decommissioned) {
                n.restartAt = now;
            }
        }
        long deadline = now + opts.healTicks();
        int attempt = 0;
        for (; now <= deadline; now++) {
            Long leader = leaderId();
            if (leader != null && (now % 20 == 0 || attempt == 0)) {
                attempt++;
                SimNode ln = nodes.get(leader);
                Object repair = MembershipChanges.repair(statuses.get(leader).config(), id -> nodes.get(id).decommissioned);
                if (repair != null) {
                    proposeCc(ln, repair);
                }
                ByteString probe = PROBE.concat(ByteString.copyFromUtf8(Integer.toString(attempt)));
                mix(13, leader, attempt);
                guarded(ln, () -> ln.raw.propose(probe));
            }
            step();
            if (probeCommitted()) {
                healTicks = now - (deadline - opts.healTicks()) + 1;
                return;
            }
        }
        throw checker.fail(Violation.Kind.LIVENESS, "no proposal committed on a majority within " + opts.healTicks()
                + " ticks of a healed network (leader: " + leaderId() + ")", List.copyOf(nodes.keySet()));
    }

    private boolean probeCommitted() {
        Long leader = leaderId();
        if (leader == null) {
            return false;
        }
        List<Long> voters = statuses.get(leader).config().getVotersList();
        long acked = voters.stream().filter(probeAppliedBy::contains).count();
        return acked > voters.size() / 2;
    }

    // ---- trace and reports ---------------------------------------------------------------------

    private void mix(long... vals) {
        long h = trace;
        h = SimNode.mix(h ^ now);
        for (long v : vals) {
            h = SimNode.mix(h + v);
        }
        trace = h;
    }

    /** The failure report: each involved node's durable and live state and its log as term runs. */
    private String report(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        sb.append("  config: preVote=").append(preVote).append(" checkQuorum=").append(checkQuorum)
                .append(" deferCommit=").append(deferCommit)
                .append(" faults=").append(opts.faults()).append('\n');
        sb.append("  committed (applied anywhere): ").append(runs(checker::committedAt, 1, checker.committedCount()))
                .append('\n');
        for (long id : ids) {
            SimNode n = nodes.get(id);
            if (n == null) {
                continue;
            }
            Status st = n.up() ? n.raw.status() : null;
            sb.append("  node ").append(id).append(n.decommissioned ? " decommissioned" : n.up() ? " up" : " down")
                    .append(" incarnation ").append(n.incarnation)
                    .append(st == null ? "" : " " + st.role() + " term " + st.term() + " commit " + st.commit())
                    .append(" persisted ").append(SafetyChecker.brief(n.persistedHs))
                    .append(" applied ").append(n.applied).append('\n');
            long first = n.storage.firstIndex();
            sb.append("    log: ").append(first > 1 ? "(compacted to " + (first - 1) + ", snapshot at "
                    + n.storage.snapshot().getMetadata().getIndex() + ") " : "")
                    .append(runs(i -> n.storage.entries(i, i + 1, Long.MAX_VALUE).getFirst(), first,
                            n.storage.lastIndex())).append('\n');
        }
        return sb.toString();
    }

    /** Entries first..last as runs of equal term: "1-5@1 6-9@3". */
    private static String runs(LongFunction<Entry> at, long first, long last) {
        StringBuilder sb = new StringBuilder();
        long start = first;
        for (long i = first; i <= last + 1; i++) {
            if (i == last + 1 || at.apply(i).getTerm() != at.apply(start).getTerm()) {
                if (i > start) {
                    sb.append(start).append(start == i - 1 ? "" : "-" + (i - 1)).append('@')
                            .append(at.apply(start).getTerm()).append(' ');
                }
                start = i;
            }
        }
        return sb.isEmpty() ? "(empty)" : sb.toString().trim();
    }
}
