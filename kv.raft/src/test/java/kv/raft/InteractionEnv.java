package kv.raft;

import com.google.protobuf.ByteString;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeTransition;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;

/**
 * The world of an interaction script: nodes with in-memory storage, one queue of messages in
 * flight, and a text output into which commands and raft's own log lines are written.
 */
final class InteractionEnv {
    /** One member with what it has persisted and applied. */
    static final class Node {
        final MemoryStorage storage;
        RaftConfig config;
        RawNode rn;
        ConfState confState;
        final List<Entry> applied = new ArrayList<>();

        Node(MemoryStorage storage, RaftConfig config, RawNode rn, ConfState confState) {
            this.storage = storage;
            this.config = config;
            this.rn = rn;
            this.confState = confState;
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final Set<Long> isolated = new HashSet<>();
    private final StringBuilder out = new StringBuilder();
    private String indent = "";
    private Level logLevel = Level.INFO;

    String run(DataDriven.Command c) {
        out.setLength(0);
        indent = "";
        try {
            dispatch(c);
        } catch (RaftException e) {
            line("error: " + e.getMessage());
        }
        String s = out.toString();
        return s.isEmpty() ? "ok\n" : s;
    }

    Node node(long id) {
        return nodes.get((int) id - 1);
    }

    private void line(String s) {
        out.append(indent).append(s).append('\n');
    }

    private RaftLogger logger() {
        return (level, message) -> {
            if (level.getSeverity() >= logLevel.getSeverity()) {
                line(level.getName() + " " + message);
            }
        };
    }

    private void dispatch(DataDriven.Command c) {
        switch (c.name()) {
            case "add-nodes" -> addNodes(c);
            case "campaign" -> node(id(c)).rn.campaign();
            case "propose" -> node(id(c)).rn.propose(ByteString.copyFromUtf8(c.args().get(1)));
            case "propose-conf-change" -> proposeConfChange(c);
            case "process-ready" -> c.positionalIds().forEach(id -> processReady(id));
            case "deliver-msgs" -> c.positionalIds().forEach(id -> deliver(id, Boolean.parseBoolean(c.kv("drop", "false"))));
            case "stabilize" -> stabilize(c.positionalIds());
            case "tick-election" -> tickElection(id(c));
            case "tick-heartbeat" -> tick(id(c), node(id(c)).config.heartbeatTick());
            case "tick" -> tick(id(c), Integer.parseInt(c.args().get(1)));
            case "transfer-leadership" -> node(Long.parseLong(c.kv("from", "0"))).rn.transferLeader(Long.parseLong(c.kv("to", "0")));
            case "read-index" -> node(id(c)).rn.readIndex(c.args().get(1).getBytes());
            case "log-level" -> logLevel = Level.valueOf(c.args().getFirst().toUpperCase());
            case "status" -> status(id(c));
            case "raft-state" -> raftState();
            case "raft-log" -> raftLog(id(c));
            case "compact" -> compact(id(c), Long.parseLong(c.args().get(1)));
            case "isolate" -> isolated.add(id(c));
            case "heal" -> isolated.clear();
            case "restart" -> restart(id(c));
            case "report-unreachable" -> node(id(c)).rn.reportUnreachable(Long.parseLong(c.args().get(1)));
            default -> throw new IllegalArgumentException("unknown command " + c.name());
        }
    }

    private static long id(DataDriven.Command c) {
        return Long.parseLong(c.args().getFirst());
    }

    private void addNodes(DataDriven.Command c) {
        int n = Integer.parseInt(c.args().getFirst());
        List<Long> voters = c.ids("voters");
        List<Long> learners = c.ids("learners");
        long index = Long.parseLong(c.kv("index", "0"));
        for (int i = 0; i < n; i++) {
            long id = nodes.size() + 1;
            ConfState cs = ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
            MemoryStorage storage = new MemoryStorage();
            if (!voters.isEmpty()) {
                storage.applySnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder()
                        .setIndex(index).setTerm(index > 0 ? 1 : 0).setConfState(cs)).build());
            }
            RaftConfig cfg = RaftConfig.of(id, new SplittableRandom(id))
                    .withTicks(Integer.parseInt(c.kv("election", "3")), 1)
                    .withCheckQuorum(Boolean.parseBoolean(c.kv("checkquorum", "false")))
                    .withPreVote(Boolean.parseBoolean(c.kv("prevote", "false")))
                    .withMaxInflightMsgs(Integer.parseInt(c.kv("max-inflight", "256")))
                    .withMaxSizePerMsg(Long.parseLong(c.kv("max-size", String.valueOf(Long.MAX_VALUE))))
                    .withDisableProposalForwarding(Boolean.parseBoolean(c.kv("disable-forwarding", "false")))
                    .withReadOnlyOption(RaftConfig.ReadOnlyOption.valueOf(c.kv("read-only", "SAFE")))
                    .withApplied(index);
            Node node = new Node(storage, cfg, null, cs);
            node.rn = new RawNode(cfg, snapshotOnDemand(node), logger());
            nodes.add(node);
        }
    }

    private void restart(long id) {
        Node n = node(id);
        // Raft replays from the snapshot so that it relearns the membership from conf changes.
        n.config = n.config.withApplied(n.storage.snapshot().getMetadata().getIndex());
        n.rn = new RawNode(n.config, snapshotOnDemand(n), logger());
        inFlight.removeIf(m -> m.getTo() == id || m.getFrom() == id);
    }

    /**
     * The node's storage, except that a snapshot requested by raft (to catch up a follower) is
     * taken at the applied index with the applied configuration, as a server would do.
     */
    private static Storage snapshotOnDemand(Node n) {
        MemoryStorage s = n.storage;
        return new Storage() {
            public InitialState initialState() { return s.initialState(); }
            public List<Entry> entries(long lo, long hi, long maxSize) { return s.entries(lo, hi, maxSize); }
            public long term(long i) { return s.term(i); }
            public long firstIndex() { return s.firstIndex(); }
            public long lastIndex() { return s.lastIndex(); }
            public Snapshot snapshot() {
                Snapshot cur = s.snapshot();
                long applied = n.applied.isEmpty() ? 0 : n.applied.getLast().getIndex();
                if (applied <= cur.getMetadata().getIndex()) {
                    return cur;
                }
                return Snapshot.newBuilder().setData(ByteString.copyFromUtf8("snap@" + applied))
                        .setMetadata(SnapshotMetadata.newBuilder().setIndex(applied).setTerm(s.term(applied))
                                .setConfState(n.confState)).build();
            }
        };
    }

    private void proposeConfChange(DataDriven.Command c) {
        Node n = node(id(c));
        List<ConfChangeSingle> changes = new ArrayList<>();
        for (String a : c.args().subList(1, c.args().size())) {
            ConfChangeType t = switch (a.charAt(0)) {
                case 'v' -> ConfChangeType.CONF_CHANGE_ADD_NODE;
                case 'l' -> ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE;
                case 'r' -> ConfChangeType.CONF_CHANGE_REMOVE_NODE;
                case 'u' -> ConfChangeType.CONF_CHANGE_UPDATE_NODE;
                default -> throw new IllegalArgumentException("unknown change " + a);
            };
            changes.add(ConfChangeSingle.newBuilder().setType(t).setNodeId(Long.parseLong(a.substring(1))).build());
        }
        if (Boolean.parseBoolean(c.kv("v1", "false"))) {
            ConfChangeSingle s = changes.getFirst();
            n.rn.proposeConfChange(ConfChange.newBuilder().setType(s.getType()).setNodeId(s.getNodeId()).build());
            return;
        }
        ConfChangeTransition tr = switch (c.kv("transition", "auto")) {
            case "implicit" -> ConfChangeTransition.CONF_CHANGE_TRANSITION_JOINT_IMPLICIT;
            case "explicit" -> ConfChangeTransition.CONF_CHANGE_TRANSITION_JOINT_EXPLICIT;
            default -> ConfChangeTransition.CONF_CHANGE_TRANSITION_AUTO;
        };
        n.rn.proposeConfChange(ConfChangeV2.newBuilder().setTransition(tr).addAllChanges(changes).build());
    }

    private void tickElection(long id) {
        Node n = node(id);
        Raft r = n.rn.raft();
        int ticks = r.state == StateRole.LEADER ? n.config.electionTick() : r.randomizedElectionTimeout;
        tick(id, ticks);
    }

    private void tick(long id, int ticks) {
        for (int i = 0; i < ticks; i++) {
            node(id).rn.tick();
        }
    }

    /** Handles one Ready the way a server would: persist, send, apply, advance. */
    private boolean processReady(long id) {
        Node n = node(id);
        if (!n.rn.hasReady()) {
            line("<empty Ready>");
            return false;
        }
        Ready rd = n.rn.ready();
        printReady(rd);
        if (rd.hasSnapshot()) {
            n.storage.applySnapshot(rd.snapshot());
            n.confState = rd.snapshot().getMetadata().getConfState();
        }
        n.storage.append(rd.entries());
        if (rd.hasHardState()) {
            n.storage.setHardState(rd.hardState());
        }
        inFlight.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
            var cc = ConfChanges.decode(e);
            if (cc != null) {
                n.confState = n.rn.applyConfChange(cc);
            }
            if (n.applied.isEmpty() || e.getIndex() > n.applied.getLast().getIndex()) {
                n.applied.add(e);
            }
        }
        n.rn.advance(rd);
        return true;
    }

    private void printReady(Ready rd) {
        line("Ready MustSync=" + rd.mustSync() + ":");
        rd.softState().ifPresent(s -> line("Lead:" + Long.toHexString(s.lead()) + " State:" + s.role()));
        if (rd.hasHardState()) {
            line("HardState " + Describe.hardState(rd.hardState()));
        }
        if (!rd.entries().isEmpty()) {
            line("Entries:");
            rd.entries().forEach(e -> line(Describe.entry(e)));
        }
        if (rd.hasSnapshot()) {
            line("Snapshot " + Describe.snapshot(rd.snapshot()));
        }
        if (!rd.committedEntries().isEmpty()) {
            line("CommittedEntries:");
            rd.committedEntries().forEach(e -> line(Describe.entry(e)));
        }
        if (!rd.messages().isEmpty()) {
            line("Messages:");
            rd.messages().forEach(m -> line(Describe.message(m)));
        }
        if (!rd.readStates().isEmpty()) {
            line("ReadStates:");
            rd.readStates().forEach(r -> line("Index:" + r.index() + " Ctx:\"" + r.requestCtx().toStringUtf8() + "\""));
        }
    }

    /** Delivers (or drops) every queued message addressed to id, in order; true if there were any. */
    private boolean deliver(long id, boolean drop) {
        List<Message> batch = new ArrayList<>();
        for (Iterator<Message> it = inFlight.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.getTo() == id) {
                batch.add(m);
                it.remove();
            }
        }
        for (Message m : batch) {
            boolean cut = isolated.contains(m.getTo()) || isolated.contains(m.getFrom());
            if (drop || cut) {
                line("dropped: " + Describe.message(m));
                continue;
            }
            line(Describe.message(m));
            try {
                node(id).rn.step(m);
            } catch (RaftException e) {
                line("error: " + e.getMessage());
            }
        }
        return !batch.isEmpty();
    }

    private void stabilize(List<Long> only) {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= nodes.size(); i++) {
            if (only.isEmpty() || only.contains((long) i)) {
                ids.add((long) i);
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (long id : ids) {
                if (node(id).rn.hasReady()) {
                    indent = "";
                    line("> " + id + " handling Ready");
                    indent = "  ";
                    processReady(id);
                    progress = true;
                }
            }
            for (long id : ids) {
                if (inFlight.stream().anyMatch(m -> m.getTo() == id)) {
                    indent = "";
                    line("> " + id + " receiving messages");
                    indent = "  ";
                    deliver(id, false);
                    progress = true;
                }
            }
        }
        indent = "";
    }

    private void status(long id) {
        Status s = node(id).rn.status();
        line(Long.toHexString(s.id()) + ": " + s.role() + " Term:" + s.term() + " Vote:" + Long.toHexString(s.vote())
                + " Commit:" + s.commit() + " Applied:" + s.applied() + " Lead:" + Long.toHexString(s.lead()));
        node(id).rn.raft().prs.progress.forEach((pid, pr) -> {
            if (s.role() == StateRole.LEADER) {
                line(Long.toHexString(pid) + ": " + pr);
            }
        });
    }

    private void raftState() {
        for (int i = 1; i <= nodes.size(); i++) {
            Raft r = node(i).rn.raft();
            String kind = r.prs.config.voters().contains(r.id) ? "Voter" : r.prs.config.learners().contains(r.id) ? "Learner" : "Non-Voter";
            line(i + ": " + r.state + " (" + kind + ") Term:" + r.term + " Lead:" + Long.toHexString(r.lead) + " " + r.prs.config);
        }
    }

    private void raftLog(long id) {
        MemoryStorage s = node(id).storage;
        if (s.lastIndex() < s.firstIndex()) {
            line("log is empty: first index=" + s.firstIndex() + ", last index=" + s.lastIndex());
            return;
        }
        s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE).forEach(e -> line(Describe.entry(e)));
    }

    private void compact(long id, long index) {
        Node n = node(id);
        n.storage.createSnapshot(index, n.confState, ByteString.copyFromUtf8("snap@" + index));
        n.storage.compact(index);
        raftLog(id);
    }
}
