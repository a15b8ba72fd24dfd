package kv.raft;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import kv.raft.RaftConfig.TestingFault;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;

/**
 * One raft member, driven by its owner: feed it time ({@link #tick()}), messages from peers
 * ({@link #step}) and client requests ({@link #propose}, {@link #readIndex}, ...); collect its
 * output with {@link #ready()} and acknowledge it with {@link #advance(Ready)} (see {@link Ready}
 * for the order in which persisting, sending and applying must happen).
 *
 * <p>Not thread-safe: exactly one thread drives a RawNode. It has no threads, clock, disk, network
 * or randomness of its own (the random source comes from {@link RaftConfig#random()}), so a test
 * or simulator controls it completely.
 *
 * <p>Lifetime: created from a {@link Storage} holding what was persisted earlier. After a crash,
 * a new RawNode built from the same (durable) storage and its {@link Storage#initialState()}
 * continues as the same member; pass the applied index in {@link RaftConfig#applied()} to avoid
 * re-delivering applied entries. A fresh cluster is started either from a storage whose snapshot
 * lists the voters ({@link MemoryStorage#withVoters}) or with {@link #bootstrap(List)}.
 */
public final class RawNode {
    private final Raft raft;
    private SoftState prevSoftState;
    private HardState prevHardState;

    /**
     * Restores a member from its storage.
     *
     * @throws IllegalStateException if the storage is inconsistent with itself
     */
    public RawNode(RaftConfig config, Storage storage) {
        this(config, storage, RaftLogger.system());
    }

    /**
     * As {@link #RawNode(RaftConfig, Storage)}, logging the protocol narrative ("1 became leader
     * at term 2") to {@code logger} instead of the {@code kv.raft} system logger: a simulator can
     * pass a logger that records or discards.
     */
    public RawNode(RaftConfig config, Storage storage, System.Logger logger) {
        this(config, storage, RaftLogger.of(logger));
    }

    RawNode(RaftConfig config, Storage storage, RaftLogger logger) {
        this.raft = new Raft(config, storage, logger);
        this.prevSoftState = raft.softState();
        this.prevHardState = raft.hardState();
    }

    Raft raft() {
        return raft;
    }

    /**
     * Starts a brand-new cluster on an empty storage: appends and commits one add-node conf change
     * per peer at term 1. They come out of the next Ready as entries to persist and entries to
     * apply (applying them again is harmless).
     *
     * @throws IllegalStateException if the storage is not empty
     */
    public void bootstrap(List<Long> peers) {
        bootstrap(peers, java.util.Collections.nCopies(peers.size(), com.google.protobuf.ByteString.EMPTY));
    }

    /**
     * As {@link #bootstrap(List)}, with a context on each peer's conf change (the application's record
     * of the member, which every member applies with the change).
     */
    public void bootstrap(List<Long> peers, List<com.google.protobuf.ByteString> contexts) {
        if (contexts.size() != peers.size()) {
            throw new IllegalArgumentException("one context per peer: " + peers.size() + " peers, " + contexts.size() + " contexts");
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("must provide at least one peer to Bootstrap");
        }
        if (raft.raftLog.storage.lastIndex() != 0) {
            throw new IllegalStateException("can't bootstrap a nonempty Storage");
        }
        // Make the bootstrap HardState show up in the next Ready.
        prevHardState = HardState.getDefaultInstance();
        raft.becomeFollower(1, 0);
        List<Entry> ents = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_NODE).setNodeId(peers.get(i))
                    .setContext(contexts.get(i)).build();
            ents.add(Entry.newBuilder().setType(EntryType.ENTRY_CONF_CHANGE).setTerm(1).setIndex(i + 1)
                    .setData(cc.toByteString()).build());
        }
        raft.raftLog.append(ents);
        raft.raftLog.committed = ents.size();
        for (long peer : peers) {
            raft.applyConfChange(ConfChanges.toV2(ConfChange.newBuilder()
                    .setType(ConfChangeType.CONF_CHANGE_ADD_NODE).setNodeId(peer).build()));
        }
    }

    /** Advances logical time by one tick (election and heartbeat timeouts are counted in ticks). */
    public void tick() {
        raft.tick();
    }

    /** Starts an election now (with a pre-vote round first if enabled). */
    public void campaign() {
        raft.step(Message.newBuilder().setType(MessageType.MSG_HUP).setFrom(raft.id).build());
    }

    /**
     * Proposes data to be appended to the log. On a follower it is forwarded to the leader. There
     * is no guarantee the entry is committed (the leader may change); watch committed entries.
     *
     * @throws ProposalDroppedException if there is no leader, forwarding is disabled, a leadership
     *     transfer is in progress, or the uncommitted budget is exhausted
     */
    public void propose(byte[] data) {
        propose(ByteString.copyFrom(data));
    }

    /** As {@link #propose(byte[])}. */
    public void propose(ByteString data) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(raft.id)
                .addEntries(Entry.newBuilder().setData(data)).build());
    }

    /**
     * Proposes several entries at once, in order: one message, one append on the leader, fewer
     * and larger appends to followers. All or nothing: a dropped batch keeps none of its entries.
     *
     * @throws ProposalDroppedException as for {@link #propose(byte[])}
     * @throws IllegalArgumentException if the batch is empty
     */
    public void propose(List<ByteString> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("raft: empty proposal batch");
        }
        Message.Builder m = Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(raft.id);
        for (ByteString data : batch) {
            m.addEntries(Entry.newBuilder().setData(data));
        }
        raft.step(m.build());
    }

    /**
     * Proposes a single-step membership change. Only one change may be pending: a leader turns a
     * second one into an empty entry. Apply it with {@link #applyConfChange} once committed.
     *
     * @throws ProposalDroppedException as for {@link #propose(byte[])}
     */
    public void proposeConfChange(ConfChange cc) {
        proposeEntry(EntryType.ENTRY_CONF_CHANGE, cc.toByteString());
    }

    /**
     * Proposes a membership change of any number of steps; more than one step or an explicit
     * transition goes through a joint configuration; the empty change leaves it.
     *
     * @throws ProposalDroppedException as for {@link #propose(byte[])}
     */
    public void proposeConfChange(ConfChangeV2 cc) {
        proposeEntry(EntryType.ENTRY_CONF_CHANGE_V2, cc.toByteString());
    }

    private void proposeEntry(EntryType type, ByteString data) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(raft.id)
                .addEntries(Entry.newBuilder().setType(type).setData(data)).build());
    }

    /** Applies a committed single-step conf change; returns the new membership to persist. */
    public ConfState applyConfChange(ConfChange cc) {
        return raft.applyConfChange(ConfChanges.toV2(cc));
    }

    /** Applies a committed conf change; returns the new membership to persist with the next snapshot. */
    public ConfState applyConfChange(ConfChangeV2 cc) {
        return raft.applyConfChange(cc);
    }

    /**
     * Feeds a message received from a peer.
     *
     * @throws StepException for a local message type or a response from an unknown peer
     * @throws ProposalDroppedException for a forwarded proposal this member cannot take
     */
    public void step(Message m) {
        if (isLocal(m.getType())) {
            throw new StepException("raft: cannot step raft local message");
        }
        if (isResponse(m.getType()) && !raft.prs.progress.containsKey(m.getFrom())) {
            throw new StepException("raft: cannot step as peer not found");
        }
        raft.step(m);
    }

    private static boolean isLocal(MessageType t) {
        return t == MessageType.MSG_HUP || t == MessageType.MSG_BEAT || t == MessageType.MSG_UNREACHABLE
                || t == MessageType.MSG_SNAP_STATUS || t == MessageType.MSG_CHECK_QUORUM;
    }

    private static boolean isResponse(MessageType t) {
        return t == MessageType.MSG_APP_RESP || t == MessageType.MSG_VOTE_RESP || t == MessageType.MSG_HEARTBEAT_RESP
                || t == MessageType.MSG_PRE_VOTE_RESP;
    }

    /**
     * Requests a linearizable read point. The answer arrives as a {@link ReadState} carrying
     * {@code ctx} in a later Ready (none if leadership is lost meanwhile: retry on a timeout).
     * {@code ctx} must name this request alone, across members and restarts (asking again for the
     * same request may reuse it): a leader counts any heartbeat answer carrying it, even one to an
     * earlier heartbeat sent for another request of the same name, as a confirmation.
     */
    public void readIndex(byte[] ctx) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(raft.id)
                .addEntries(Entry.newBuilder().setData(ByteString.copyFrom(ctx))).build());
    }

    /** Asks the leader to hand leadership to {@code transferee} (on a follower: forwarded). */
    public void transferLeader(long transferee) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_TRANSFER_LEADER).setFrom(transferee).build());
    }

    /** Tells the leader that the last message to {@code id} could not be delivered. */
    public void reportUnreachable(long id) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_UNREACHABLE).setFrom(id).build());
    }

    /** Tells the leader whether the snapshot sent to {@code id} was applied there. */
    public void reportSnapshot(long id, boolean finished) {
        raft.step(Message.newBuilder().setType(MessageType.MSG_SNAP_STATUS).setFrom(id).setReject(!finished).build());
    }

    /**
     * Whether this leader advanced its commit index without telling the followers yet (see
     * {@link RaftConfig#deferCommitBroadcast}); the next append or {@link #broadcastCommit} does.
     */
    public boolean commitUntold() {
        return raft.state == StateRole.LEADER && raft.commitUntold;
    }

    /** Sends the followers the commit index now if it was left untold (empty appends where needed). */
    public void broadcastCommit() {
        if (commitUntold()) {
            raft.bcastAppend();
        }
    }

    /** Whether {@link #ready()} would return something to handle. */
    public boolean hasReady() {
        if (!raft.softState().equals(prevSoftState)) {
            return true;
        }
        HardState hs = raft.hardState();
        if (!hs.equals(HardState.getDefaultInstance()) && !hs.equals(prevHardState)) {
            return true;
        }
        return raft.raftLog.hasPendingSnapshot() || !raft.msgs.isEmpty() || !raft.raftLog.unstable.entries.isEmpty()
                || raft.raftLog.hasNextEnts() || !raft.readStates.isEmpty();
    }

    /**
     * Everything to persist, send and apply now. The returned messages and read states are handed
     * over (not returned again); call {@link #advance(Ready)} when done with it.
     */
    public Ready ready() {
        SoftState soft = raft.softState();
        HardState hs = raft.hardState();
        List<Entry> entries = raft.raftLog.unstableEntries();
        HardState emitted = hs.equals(prevHardState) ? HardState.getDefaultInstance() : hs;
        if (raft.cfg.hasFault(TestingFault.SKIP_VOTE_PERSIST) && !emitted.equals(HardState.getDefaultInstance())) {
            emitted = emitted.toBuilder().setVote(0).build();
        }
        Snapshot snap = raft.raftLog.unstable.snapshot;
        boolean mustSync = !entries.isEmpty() || snap != null || hs.getVote() != prevHardState.getVote() || hs.getTerm() != prevHardState.getTerm();
        Ready rd = new Ready(soft.equals(prevSoftState) ? Optional.empty() : Optional.of(soft), emitted,
                raft.readStates, entries, snap == null ? Snapshot.getDefaultInstance() : snap,
                raft.raftLog.nextEnts(), raft.msgs, mustSync);
        prevSoftState = soft;
        raft.readStates.clear();
        raft.msgs = new ArrayList<>();
        if (!emitted.equals(HardState.getDefaultInstance())) {
            prevHardState = hs;
        }
        return rd;
    }

    /** Acknowledges that a Ready was persisted and applied as its Javadoc describes. */
    public void advance(Ready rd) {
        raft.advance(rd);
    }

    /** A copy of the member's current state; progress is filled only on the leader. */
    public Status status() {
        Map<Long, Progress> progress = new TreeMap<>();
        if (raft.state == StateRole.LEADER) {
            raft.prs.progress.forEach((id, pr) -> progress.put(id, pr.view()));
        }
        return new Status(raft.id, raft.term, raft.vote, raft.raftLog.committed, raft.raftLog.applied, raft.lead,
                raft.state, raft.leadTransferee, raft.prs.config.confState(), progress);
    }
}
