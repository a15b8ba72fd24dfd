package kv.raft;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import com.google.protobuf.ByteString;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import kv.raft.RaftConfig.TestingFault;
import kv.raft.raftpb.ConfChangeTransition;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;

/**
 * The raft protocol for one member: roles, terms, votes, replication, commit, membership. A pure
 * state machine: every input is {@link #step} or {@link #tick}, every output is appended to
 * {@link #msgs}, {@link #readStates} or the log. Not thread-safe; owned by {@link RawNode}.
 */
final class Raft {
    static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");

    private enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

    final long id;
    long term;
    long vote;
    final List<ReadState> readStates = new ArrayList<>();
    final RaftLog raftLog;
    final ProgressTracker prs;
    StateRole state = StateRole.FOLLOWER;
    boolean isLearner;
    List<Message> msgs = new ArrayList<>();
    long lead;
    long leadTransferee;
    long pendingConfIndex;
    /** The leader's commit index advanced and the followers were not told yet (deferred broadcast). */
    boolean commitUntold;
    /**
     * The first entry a follower forwarded (its client waits for the follower to apply it) that may
     * be committed without the followers being told, and the last such entry; 0: none.
     */
    private long forwardedFrom;
    private long forwardedTo;
    long uncommittedSize;
    ReadOnly readOnly;
    final List<Message> pendingReadIndexMessages = new ArrayList<>();
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    final RaftConfig cfg;
    final RaftLogger logger;
    private final Leader leader = new Leader(this);

    Raft(RaftConfig cfg, Storage storage, RaftLogger logger) {
        this.cfg = cfg;
        this.id = cfg.id();
        this.logger = logger;
        this.raftLog = new RaftLog(storage);
        this.prs = new ProgressTracker(cfg.maxInflightMsgs());
        this.readOnly = new ReadOnly(cfg.readOnlyOption());
        Storage.InitialState init = storage.initialState();
        restoreConfig(init.confState());
        HardState hs = init.hardState();
        if (!hs.equals(HardState.getDefaultInstance())) {
            loadState(hs);
        }
        if (cfg.applied() > 0) {
            raftLog.appliedTo(cfg.applied());
        }
        becomeFollower(term, 0);
        log(INFO, "newRaft %x [peers: %s, term: %d, commit: %d, applied: %d, lastindex: %d, lastterm: %d]",
                id, prs.config, term, raftLog.committed, raftLog.applied, raftLog.lastIndex(), raftLog.lastTerm());
    }

    void log(Level level, String fmt, Object... args) {
        if (logger.isLoggable(level)) {
            logger.log(level, String.format(fmt, args));
        }
    }

    private boolean fault(TestingFault f) {
        return cfg.hasFault(f);
    }

    SoftState softState() {
        return new SoftState(lead, state);
    }

    HardState hardState() {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(raftLog.committed).build();
    }

    /** Test hook: pretend (term, commit) were loaded from a HardState. */
    void loadStateForTest(long term, long commit) {
        loadState(HardState.newBuilder().setTerm(term).setCommit(commit).build());
    }

    private void loadState(HardState hs) {
        if (hs.getCommit() < raftLog.committed || hs.getCommit() > raftLog.lastIndex()) {
            throw new IllegalStateException(String.format("%x state.commit %d is out of range [%d, %d]",
                    id, hs.getCommit(), raftLog.committed, raftLog.lastIndex()));
        }
        raftLog.committed = hs.getCommit();
        term = hs.getTerm();
        vote = hs.getVote();
    }

    private void restoreConfig(ConfState cs) {
        Membership m = Membership.of(cs);
        prs.config = m;
        prs.progress.clear();
        long next = raftLog.lastIndex() + 1;
        for (long v : m.voters()) {
            prs.progress.put(v, new PeerProgress(0, next, prs.maxInflight, false));
        }
        for (long l : m.learners()) {
            prs.progress.put(l, new PeerProgress(0, next, prs.maxInflight, true));
        }
        for (long l : m.learnersNext()) {
            prs.progress.putIfAbsent(l, new PeerProgress(0, next, prs.maxInflight, false));
        }
        PeerProgress self = prs.progress.get(id);
        isLearner = self != null && self.isLearner;
    }

    // ---- sending -------------------------------------------------------------------------------

    void send(Message.Builder m) {
        if (m.getFrom() == 0) {
            // a request forwarded to the leader keeps its sender: the answer to a read index goes to
            // the member that asked, not to one that passed it on (its rounds are not this one's)
            m.setFrom(id);
        }
        MessageType t = m.getType();
        if (t == MessageType.MSG_VOTE || t == MessageType.MSG_VOTE_RESP || t == MessageType.MSG_PRE_VOTE
                || t == MessageType.MSG_PRE_VOTE_RESP) {
            if (m.getTerm() == 0) {
                // Election messages carry the term they are about, which may differ from ours.
                throw new IllegalStateException("term should be set when sending " + t);
            }
        } else {
            if (m.getTerm() != 0) {
                throw new IllegalStateException("term should not be set when sending " + t + " (was " + m.getTerm() + ")");
            }
            // Proposals and read-index requests forwarded to the leader act as local messages there.
            if (t != MessageType.MSG_PROP && t != MessageType.MSG_READ_INDEX) {
                m.setTerm(term);
            }
        }
        msgs.add(m.build());
    }

    void sendAppend(long to) {
        maybeSendAppend(to, true);
    }

    /**
     * Sends an append (or a snapshot when the entries are compacted) to {@code to} if its progress
     * allows. Returns whether a message was sent.
     */
    boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        PeerProgress pr = prs.progress.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevTerm;
        List<Entry> ents;
        try {
            prevTerm = raftLog.term(pr.next - 1);
            ents = raftLog.entries(pr.next, cfg.maxSizePerMsg());
        } catch (CompactedException e) {
            return maybeSendSnapshot(to, pr);
        }
        if (ents.isEmpty() && !sendIfEmpty) {
            return false;
        }
        long prevIndex = pr.next - 1;
        if (!ents.isEmpty()) {
            long last = ents.getLast().getIndex();
            switch (pr.state) {
                case REPLICATE -> {
                    pr.optimisticUpdate(last);
                    pr.inflights.add(last);
                }
                case PROBE -> pr.probeSent = true;
                case SNAPSHOT -> throw new IllegalStateException(String.format("%x is sending append in unhandled state %s", id, pr.state));
            }
        }
        send(Message.newBuilder().setType(MessageType.MSG_APP).setTo(to).setIndex(prevIndex)
                .setLogTerm(prevTerm).addAllEntries(ents).setCommit(raftLog.committed));
        return true;
    }

    private boolean maybeSendSnapshot(long to, PeerProgress pr) {
        if (!pr.recentActive) {
            log(DEBUG, "ignore sending snapshot to %x since it is not recently active", to);
            return false;
        }
        Snapshot snap;
        try {
            snap = raftLog.snapshot();
        } catch (SnapshotTemporarilyUnavailableException e) {
            log(DEBUG, "%x failed to send snapshot to %x because snapshot is temporarily unavailable", id, to);
            return false;
        }
        long si = snap.getMetadata().getIndex();
        if (si == 0) {
            throw new IllegalStateException("need non-empty snapshot");
        }
        log(DEBUG, "%x [firstindex: %d, commit: %d] sent snapshot[index: %d, term: %d] to %x [%s]",
                id, raftLog.firstIndex(), raftLog.committed, si, snap.getMetadata().getTerm(), to, pr);
        pr.becomeSnapshot(si);
        log(DEBUG, "%x paused sending replication messages to %x [%s]", id, to, pr);
        send(Message.newBuilder().setType(MessageType.MSG_SNAP).setTo(to).setSnapshot(snap));
        return true;
    }

    private void sendHeartbeat(long to, ByteString ctx) {
        // Never tell a follower to commit past what it is known to hold.
        long commit = Math.min(prs.progress.get(to).match, raftLog.committed);
        send(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setTo(to).setCommit(commit).setContext(ctx));
    }

    void bcastAppend() {
        commitUntold = false;
        if (forwardedFrom != 0) {
            // every follower now hears of the commit; forwarded entries beyond it are still ahead
            forwardedFrom = forwardedTo > raftLog.committed ? raftLog.committed + 1 : 0;
        }
        prs.visit((to, pr) -> {
            if (to != id) {
                sendAppend(to);
            }
        });
    }

    /**
     * The commit index advanced on an append response: tells the followers now, or, with the
     * broadcast deferred, no conf change pending (members must apply those promptly) and no entry
     * a follower forwarded among the newly committed ones (the follower's client waits for it to
     * apply), leaves it to the next append or to {@link RawNode#broadcastCommit}.
     */
    void commitAdvanced() {
        boolean forwardedCommitted = forwardedFrom != 0 && forwardedFrom <= raftLog.committed;
        if (cfg.deferCommitBroadcast() && pendingConfIndex <= raftLog.applied && !forwardedCommitted) {
            commitUntold = true;
        } else {
            bcastAppend();
        }
    }

    /** Entries {@code from..to} a follower proposed were appended (see {@link #commitAdvanced}). */
    void forwardedAppended(long from, long to) {
        if (forwardedFrom == 0) {
            forwardedFrom = from;
        }
        forwardedTo = to;
    }

    void bcastHeartbeat() {
        bcastHeartbeatWithCtx(readOnly.lastPendingRequestCtx());
    }

    void bcastHeartbeatWithCtx(ByteString ctx) {
        prs.visit((to, pr) -> {
            if (to != id) {
                sendHeartbeat(to, ctx);
            }
        });
    }

    // ---- commit and append ---------------------------------------------------------------------

    /** Advances the commit index to what a quorum holds, if allowed (§5.4.2); true if it moved. */
    boolean maybeCommit() {
        long mci = prs.committed();
        if (fault(TestingFault.COMMIT_PREVIOUS_TERM_BY_COUNTING)) {
            if (mci > raftLog.committed && mci != Long.MAX_VALUE) {
                raftLog.commitTo(mci);
                return true;
            }
            return false;
        }
        return raftLog.maybeCommit(mci, term);
    }

    /** Appends entries as leader; false (nothing appended) if over the uncommitted-size budget. */
    boolean appendEntry(List<Entry> es) {
        long li = raftLog.lastIndex();
        List<Entry> stamped = new ArrayList<>(es.size());
        for (int i = 0; i < es.size(); i++) {
            stamped.add(es.get(i).toBuilder().setTerm(term).setIndex(li + 1 + i).build());
        }
        if (!increaseUncommittedSize(stamped)) {
            log(WARNING, "%x appending new entries to log would exceed uncommitted entry size limit; dropping proposal", id);
            return false;
        }
        li = raftLog.append(stamped);
        prs.progress.get(id).maybeUpdate(li);
        maybeCommit();
        return true;
    }

    private boolean increaseUncommittedSize(List<Entry> ents) {
        long s = Entries.payloadSize(ents);
        long max = cfg.maxUncommittedEntriesSize();
        if (max > 0 && uncommittedSize > 0 && s > 0 && uncommittedSize + s > max) {
            return false;
        }
        uncommittedSize += s;
        return true;
    }

    void reduceUncommittedSize(List<Entry> ents) {
        if (uncommittedSize == 0) {
            return;
        }
        long s = Entries.payloadSize(ents);
        uncommittedSize = s > uncommittedSize ? 0 : uncommittedSize - s;
    }

    // ---- time ----------------------------------------------------------------------------------

    void tick() {
        if (state == StateRole.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(Message.newBuilder().setFrom(id).setType(MessageType.MSG_HUP).build());
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= cfg.electionTick()) {
            electionElapsed = 0;
            if (cfg.checkQuorum()) {
                step(Message.newBuilder().setFrom(id).setType(MessageType.MSG_CHECK_QUORUM).build());
            }
            // A transfer that did not finish within an election timeout is abandoned.
            if (state == StateRole.LEADER && leadTransferee != 0) {
                abortLeaderTransfer();
            }
        }
        if (state != StateRole.LEADER) {
            return;
        }
        if (heartbeatElapsed >= cfg.heartbeatTick()) {
            heartbeatElapsed = 0;
            step(Message.newBuilder().setFrom(id).setType(MessageType.MSG_BEAT).build());
        }
    }

    // ---- roles ---------------------------------------------------------------------------------

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTick() + cfg.random().nextInt(cfg.electionTick());
        abortLeaderTransfer();
        prs.resetVotes();
        long last = raftLog.lastIndex();
        prs.progress.replaceAll((pid, old) -> {
            PeerProgress pr = new PeerProgress(pid == id ? last : 0, last + 1, prs.maxInflight, old.isLearner);
            return pr;
        });
        pendingConfIndex = 0;
        commitUntold = false;
        forwardedFrom = 0;
        forwardedTo = 0;
        uncommittedSize = 0;
        readOnly = new ReadOnly(cfg.readOnlyOption());
        pendingReadIndexMessages.clear();
    }

    void becomeFollower(long newTerm, long newLead) {
        reset(newTerm);
        lead = newLead;
        state = StateRole.FOLLOWER;
        log(INFO, "%x became follower at term %d", id, term);
    }

    private void becomeCandidate() {
        if (state == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> candidate]");
        }
        reset(term + 1);
        vote = id;
        state = StateRole.CANDIDATE;
        log(INFO, "%x became candidate at term %d", id, term);
    }

    private void becomePreCandidate() {
        if (state == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
        }
        // A pre-candidate changes neither term nor vote: it only asks whether it could win (§9.6).
        prs.resetVotes();
        lead = 0;
        state = StateRole.PRE_CANDIDATE;
        log(INFO, "%x became pre-candidate at term %d", id, term);
    }

    private void becomeLeader() {
        if (state == StateRole.FOLLOWER) {
            throw new IllegalStateException("invalid transition [follower -> leader]");
        }
        reset(term);
        lead = id;
        state = StateRole.LEADER;
        PeerProgress self = prs.progress.get(id);
        self.becomeReplicate();
        self.recentActive = true;
        // Conf changes in the uncommitted tail may be pending: refuse new ones until it is applied.
        pendingConfIndex = raftLog.lastIndex();
        // An empty entry of the new term: committing it commits everything before it (§5.4.2) and
        // lets read-index requests be served (§6.4).
        if (!appendEntry(List.of(Entry.getDefaultInstance()))) {
            throw new IllegalStateException("empty entry was dropped");
        }
        log(INFO, "%x became leader at term %d", id, term);
    }

    boolean promotable() {
        PeerProgress pr = prs.progress.get(id);
        return pr != null && !pr.isLearner && !raftLog.hasPendingSnapshot();
    }

    private void hup(CampaignType t) {
        if (state == StateRole.LEADER) {
            log(DEBUG, "%x ignoring MsgHup because already leader", id);
            return;
        }
        if (!promotable()) {
            log(WARNING, "%x is unpromotable and can not campaign", id);
            return;
        }
        if (hasUnappliedConfChanges()) {
            log(WARNING, "%x cannot campaign at term %d since there are still pending configuration changes to apply", id, term);
            return;
        }
        log(INFO, "%x is starting a new election at term %d", id, term);
        campaign(t);
    }

    private boolean hasUnappliedConfChanges() {
        if (raftLog.applied >= raftLog.committed) {
            return false;
        }
        for (Entry e : raftLog.slice(raftLog.applied + 1, raftLog.committed + 1, Long.MAX_VALUE)) {
            if (e.getType() != EntryType.ENTRY_NORMAL) {
                return true;
            }
        }
        return false;
    }

    private void campaign(CampaignType t) {
        long voteTerm;
        MessageType voteMsg;
        if (t == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteMsg = MessageType.MSG_PRE_VOTE;
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteMsg = MessageType.MSG_VOTE;
            voteTerm = term;
        }
        if (poll(id, voteRespType(voteMsg), true) == Membership.VoteResult.WON) {
            // A single-voter group wins at once.
            if (t == CampaignType.PRE_ELECTION) {
                campaign(CampaignType.ELECTION);
            } else {
                becomeLeader();
            }
            return;
        }
        for (long to : prs.config.voters()) {
            if (to == id) {
                continue;
            }
            log(INFO, "%x [logterm: %d, index: %d] sent %s request to %x at term %d",
                    id, raftLog.lastTerm(), raftLog.lastIndex(), Describe.type(voteMsg), to, term);
            Message.Builder m = Message.newBuilder().setType(voteMsg).setTo(to).setTerm(voteTerm)
                    .setIndex(raftLog.lastIndex()).setLogTerm(raftLog.lastTerm());
            if (t == CampaignType.TRANSFER) {
                m.setContext(CAMPAIGN_TRANSFER);
            }
            send(m);
        }
    }

    private Membership.VoteResult poll(long from, MessageType t, boolean granted) {
        if (granted) {
            log(INFO, "%x received %s from %x at term %d", id, Describe.type(t), from, term);
        } else {
            log(INFO, "%x received %s rejection from %x at term %d", id, Describe.type(t), from, term);
        }
        prs.recordVote(from, granted);
        return prs.tally();
    }

    static MessageType voteRespType(MessageType t) {
        return switch (t) {
            case MSG_VOTE -> MessageType.MSG_VOTE_RESP;
            case MSG_PRE_VOTE -> MessageType.MSG_PRE_VOTE_RESP;
            default -> throw new IllegalArgumentException("not a vote message: " + t);
        };
    }

    // ---- step ----------------------------------------------------------------------------------

    /** Feeds one message; may throw {@link ProposalDroppedException} for a proposal. */
    void step(Message m) {
        if (m.getTerm() == 0) {
            // Local message (or a forwarded proposal / read-index request).
        } else if (m.getTerm() > term) {
            if (!stepHigherTerm(m)) {
                return;
            }
        } else if (m.getTerm() < term) {
            stepLowerTerm(m);
            return;
        }
        switch (m.getType()) {
            case MSG_HUP -> hup(cfg.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case MSG_VOTE, MSG_PRE_VOTE -> handleVote(m);
            default -> {
                switch (state) {
                    case LEADER -> leader.step(m);
                    case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
                    case FOLLOWER -> stepFollower(m);
                }
            }
        }
    }

    /** Returns false if the message is to be ignored. */
    private boolean stepHigherTerm(Message m) {
        MessageType t = m.getType();
        if (t == MessageType.MSG_VOTE || t == MessageType.MSG_PRE_VOTE) {
            boolean force = m.getContext().equals(CAMPAIGN_TRANSFER);
            boolean inLease = cfg.checkQuorum() && lead != 0 && electionElapsed < cfg.electionTick();
            if (!force && inLease) {
                // We heard from a live leader within the election timeout: a disruptive candidate
                // (e.g. a rejoining partitioned member) must not depose it (§6, §9.6).
                log(INFO, "%x [logterm: %d, index: %d, vote: %x] ignored %s from %x [logterm: %d, index: %d] at term %d: lease is not expired (remaining ticks: %d)",
                        id, raftLog.lastTerm(), raftLog.lastIndex(), vote, Describe.type(t), m.getFrom(), m.getLogTerm(), m.getIndex(), term,
                        cfg.electionTick() - electionElapsed);
                return false;
            }
        }
        if (t == MessageType.MSG_PRE_VOTE || (t == MessageType.MSG_PRE_VOTE_RESP && !m.getReject())) {
            // A pre-vote never changes our term; a granted pre-vote response carries the future term.
            return true;
        }
        log(INFO, "%x [term: %d] received a %s message with higher term from %x [term: %d]",
                id, term, Describe.type(t), m.getFrom(), m.getTerm());
        if (t == MessageType.MSG_APP || t == MessageType.MSG_HEARTBEAT || t == MessageType.MSG_SNAP) {
            becomeFollower(m.getTerm(), m.getFrom());
        } else {
            becomeFollower(m.getTerm(), 0);
        }
        return true;
    }

    private void stepLowerTerm(Message m) {
        MessageType t = m.getType();
        if (t == MessageType.MSG_APP && fault(TestingFault.ACCEPT_STALE_TERM_APPEND)) {
            handleAppendEntries(m);
            return;
        }
        if ((cfg.checkQuorum() || cfg.preVote()) && (t == MessageType.MSG_HEARTBEAT || t == MessageType.MSG_APP)) {
            // A leader cut off by a partition does not learn of the new term from our silence;
            // answering lets it step down, and keeps a pre-voting member from being stuck (§9.6).
            send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP));
        } else if (t == MessageType.MSG_PRE_VOTE) {
            log(INFO, "%x [logterm: %d, index: %d, vote: %x] rejected %s from %x [logterm: %d, index: %d] at term %d",
                    id, raftLog.lastTerm(), raftLog.lastIndex(), vote, Describe.type(t), m.getFrom(), m.getLogTerm(), m.getIndex(), term);
            send(Message.newBuilder().setTo(m.getFrom()).setTerm(term).setType(MessageType.MSG_PRE_VOTE_RESP).setReject(true));
        } else if (t == MessageType.MSG_VOTE && lead == 0) {
            // With no leader to wait for, tell a candidate of a stale term the current one (as the
            // paper's RequestVote reply does) so that it can campaign again above it. Ignored, it may
            // never catch up: a member whose term was pushed up by a candidate it will not elect (a
            // stale log, or one that stale config keeps from ever asking the others) stays ahead of
            // every candidate it could elect. With a leader known, silence keeps a removed member
            // from being drawn into raising its term (etcd's reason to ignore such votes).
            log(INFO, "%x [term: %d] rejected a %s message with lower term from %x [term: %d]",
                    id, term, Describe.type(t), m.getFrom(), m.getTerm());
            send(Message.newBuilder().setTo(m.getFrom()).setTerm(term).setType(MessageType.MSG_VOTE_RESP).setReject(true));
        } else {
            log(INFO, "%x [term: %d] ignored a %s message with lower term from %x [term: %d]",
                    id, term, Describe.type(t), m.getFrom(), m.getTerm());
        }
    }

    private void handleVote(Message m) {
        boolean canVote = vote == m.getFrom()
                || (vote == 0 && lead == 0)
                || (m.getType() == MessageType.MSG_PRE_VOTE && m.getTerm() > term);
        if (fault(TestingFault.GRANT_VOTE_TWICE_IN_TERM) && m.getType() == MessageType.MSG_VOTE) {
            canVote = true;
        }
        String what = Describe.type(m.getType());
        if (canVote && raftLog.isUpToDate(m.getIndex(), m.getLogTerm())) {
            log(INFO, "%x [logterm: %d, index: %d, vote: %x] cast %s for %x [logterm: %d, index: %d] at term %d",
                    id, raftLog.lastTerm(), raftLog.lastIndex(), vote, what, m.getFrom(), m.getLogTerm(), m.getIndex(), term);
            // The response carries the candidate's term: for a pre-vote, ours is not changed (§9.6).
            send(Message.newBuilder().setTo(m.getFrom()).setTerm(m.getTerm()).setType(voteRespType(m.getType())));
            if (m.getType() == MessageType.MSG_VOTE) {
                electionElapsed = 0;
                vote = m.getFrom();
            }
        } else {
            log(INFO, "%x [logterm: %d, index: %d, vote: %x] rejected %s from %x [logterm: %d, index: %d] at term %d",
                    id, raftLog.lastTerm(), raftLog.lastIndex(), vote, what, m.getFrom(), m.getLogTerm(), m.getIndex(), term);
            send(Message.newBuilder().setTo(m.getFrom()).setTerm(term).setType(voteRespType(m.getType())).setReject(true));
        }
    }


    void sendTimeoutNow(long to) {
        send(Message.newBuilder().setTo(to).setType(MessageType.MSG_TIMEOUT_NOW));
    }

    void abortLeaderTransfer() {
        leadTransferee = 0;
    }

    private void stepCandidate(Message m) {
        MessageType myVoteResp = state == StateRole.PRE_CANDIDATE ? MessageType.MSG_PRE_VOTE_RESP : MessageType.MSG_VOTE_RESP;
        switch (m.getType()) {
            case MSG_PROP -> {
                log(INFO, "%x no leader at term %d; dropping proposal", id, term);
                throw new ProposalDroppedException();
            }
            case MSG_APP -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleAppendEntries(m);
            }
            case MSG_HEARTBEAT -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleHeartbeat(m);
            }
            case MSG_SNAP -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleSnapshot(m);
            }
            case MSG_TIMEOUT_NOW -> log(DEBUG, "%x [term %d state %s] ignored MsgTimeoutNow from %x", id, term, state, m.getFrom());
            default -> {
                if (m.getType() != myVoteResp) {
                    return;
                }
                Membership.VoteResult r = poll(m.getFrom(), m.getType(), !m.getReject());
                log(INFO, "%x has received %d %s votes and %d vote rejections", id, prs.granted(), Describe.type(m.getType()), prs.rejected());
                switch (r) {
                    case WON -> {
                        if (state == StateRole.PRE_CANDIDATE) {
                            campaign(CampaignType.ELECTION);
                        } else {
                            becomeLeader();
                            bcastAppend();
                        }
                    }
                    case LOST -> becomeFollower(term, 0);
                    case PENDING -> { }
                }
            }
        }
    }

    private void stepFollower(Message m) {
        switch (m.getType()) {
            case MSG_PROP -> {
                if (lead == 0) {
                    log(INFO, "%x no leader at term %d; dropping proposal", id, term);
                    throw new ProposalDroppedException();
                }
                if (cfg.disableProposalForwarding()) {
                    log(INFO, "%x not forwarding to leader %x at term %d; dropping proposal", id, lead, term);
                    throw new ProposalDroppedException();
                }
                send(m.toBuilder().setTo(lead));
            }
            case MSG_APP -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleAppendEntries(m);
            }
            case MSG_HEARTBEAT -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleHeartbeat(m);
            }
            case MSG_SNAP -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleSnapshot(m);
            }
            case MSG_TRANSFER_LEADER -> {
                if (lead == 0) {
                    log(INFO, "%x no leader at term %d; dropping leader transfer msg", id, term);
                    return;
                }
                // send() keeps 'from' (the transferee) and stamps our term (a forwarded request may carry one)
                send(m.toBuilder().setTo(lead).clearTerm());
            }
            case MSG_TIMEOUT_NOW -> {
                log(INFO, "%x [term %d] received MsgTimeoutNow from %x and starts an election to get leadership.", id, term, m.getFrom());
                // Skips pre-vote: the leader asked for it, so the election is not disruptive.
                hup(CampaignType.TRANSFER);
            }
            case MSG_READ_INDEX -> {
                if (lead == 0) {
                    log(INFO, "%x no leader at term %d; dropping index reading msg", id, term);
                    return;
                }
                send(m.toBuilder().setTo(lead));
            }
            case MSG_READ_INDEX_RESP -> {
                if (m.getEntriesCount() != 1) {
                    log(WARNING, "%x invalid format of MsgReadIndexResp from %x, entries count: %d", id, m.getFrom(), m.getEntriesCount());
                    return;
                }
                readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData()));
            }
            default -> { }
        }
    }

    private void handleAppendEntries(Message m) {
        if (m.getIndex() < raftLog.committed) {
            send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP).setIndex(raftLog.committed));
            return;
        }
        long lastNew = raftLog.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
        if (lastNew >= 0) {
            send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP).setIndex(lastNew));
            return;
        }
        // §5.3 consistency check failed. Hint the largest index whose term is at most the leader's
        // prevLogTerm, so that the leader can skip a whole term of entries per round trip.
        long hintIndex = raftLog.findConflictByTerm(Math.min(m.getIndex(), raftLog.lastIndex()), m.getLogTerm());
        long hintTerm = raftLog.termOrZero(hintIndex);
        log(DEBUG, "%x [logterm: %d, index: %d] rejected MsgApp [logterm: %d, index: %d] from %x",
                id, raftLog.termOrZero(m.getIndex()), m.getIndex(), m.getLogTerm(), m.getIndex(), m.getFrom());
        send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP).setIndex(m.getIndex())
                .setReject(true).setRejectHint(hintIndex).setLogTerm(hintTerm));
    }

    private void handleHeartbeat(Message m) {
        raftLog.commitTo(m.getCommit());
        send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_HEARTBEAT_RESP).setContext(m.getContext()));
    }

    private void handleSnapshot(Message m) {
        Snapshot s = m.getSnapshot();
        long si = s.getMetadata().getIndex();
        long st = s.getMetadata().getTerm();
        if (restore(s)) {
            send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP).setIndex(raftLog.lastIndex()));
        } else {
            log(INFO, "%x [commit: %d] ignored snapshot [index: %d, term: %d]", id, raftLog.committed, si, st);
            send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP).setIndex(raftLog.committed));
        }
    }

    /** Installs a snapshot from the leader; false if it is stale or already covered by our log. */
    boolean restore(Snapshot s) {
        long si = s.getMetadata().getIndex();
        long st = s.getMetadata().getTerm();
        if (si <= raftLog.committed) {
            return false;
        }
        if (state != StateRole.FOLLOWER) {
            // Only a follower receives snapshots; anything else means a second leader in this term.
            log(WARNING, "%x attempted to restore snapshot as leader; should never happen", id);
            becomeFollower(term + 1, 0);
            return false;
        }
        ConfState cs = s.getMetadata().getConfState();
        if (!Membership.of(cs).contains(id)) {
            log(WARNING, "%x attempted to restore snapshot but it is not in the ConfState %s; should never happen", id, Membership.of(cs));
            return false;
        }
        if (raftLog.matchTerm(si, st)) {
            // We already have the entry: just fast-forward the commit.
            log(INFO, "%x [commit: %d, lastindex: %d, lastterm: %d] fast-forwarded commit to snapshot [index: %d, term: %d]",
                    id, raftLog.committed, raftLog.lastIndex(), raftLog.lastTerm(), si, st);
            raftLog.commitTo(si);
            return false;
        }
        raftLog.restore(s);
        restoreConfig(cs);
        PeerProgress self = prs.progress.get(id);
        self.maybeUpdate(self.next - 1);
        log(INFO, "%x [commit: %d, lastindex: %d, lastterm: %d] restored snapshot [index: %d, term: %d]",
                id, raftLog.committed, raftLog.lastIndex(), raftLog.lastTerm(), si, st);
        return true;
    }

    // ---- membership ----------------------------------------------------------------------------

    ConfState applyConfChange(ConfChangeV2 cc) {
        Changer changer = new Changer(prs, raftLog.lastIndex());
        Changer.Result r;
        if (ConfChanges.leaveJoint(cc)) {
            r = changer.leaveJoint();
        } else if (ConfChanges.entersJoint(cc)) {
            boolean autoLeave = cc.getTransition() != ConfChangeTransition.CONF_CHANGE_TRANSITION_JOINT_EXPLICIT;
            r = changer.enterJoint(autoLeave, cc.getChangesList());
        } else {
            r = changer.simple(cc.getChangesList());
        }
        return switchToConfig(r);
    }

    private ConfState switchToConfig(Changer.Result r) {
        prs.config = r.config();
        prs.progress = r.progress();
        log(INFO, "%x switched to configuration %s", id, prs.config);
        ConfState cs = prs.config.confState();
        PeerProgress self = prs.progress.get(id);
        isLearner = self != null && self.isLearner;
        if ((self == null || isLearner) && state == StateRole.LEADER) {
            // A removed or demoted leader keeps leading until the application stops it (or
            // check-quorum steps it down); it accepts no more proposals.
            return cs;
        }
        if (state != StateRole.LEADER || cs.getVotersCount() == 0) {
            return cs;
        }
        if (maybeCommit()) {
            // The quorum changed, so did the commit index: tell everyone.
            bcastAppend();
        } else {
            prs.visit((pid, pr) -> {
                if (pid != id) {
                    maybeSendAppend(pid, false);
                }
            });
        }
        if (leadTransferee != 0 && !prs.config.voters().contains(leadTransferee)) {
            abortLeaderTransfer();
        }
        return cs;
    }

    /** Called by RawNode.advance: applied index, stable entries, and the automatic leave of a joint config. */
    void advance(Ready rd) {
        reduceUncommittedSize(rd.committedEntries());
        long newApplied = rd.appliedCursor();
        if (newApplied > 0) {
            long oldApplied = raftLog.applied;
            raftLog.appliedTo(newApplied);
            if (prs.config.autoLeave() && oldApplied <= pendingConfIndex && newApplied >= pendingConfIndex
                    && state == StateRole.LEADER) {
                // The joint config was entered with auto-leave: propose leaving it now that it is applied.
                Entry leave = Entry.newBuilder().setType(EntryType.ENTRY_CONF_CHANGE_V2)
                        .setData(ConfChangeV2.getDefaultInstance().toByteString()).build();
                if (!appendEntry(List.of(leave))) {
                    throw new IllegalStateException("refused un-refusable auto-leaving ConfChangeV2");
                }
                pendingConfIndex = raftLog.lastIndex();
                log(INFO, "initiating automatic transition out of joint configuration %s", prs.config);
                bcastAppend();
            }
        }
        if (!rd.entries().isEmpty()) {
            Entry e = rd.entries().getLast();
            raftLog.stableTo(e.getIndex(), e.getTerm());
        }
        if (rd.hasSnapshot()) {
            raftLog.stableSnapTo(rd.snapshot().getMetadata().getIndex());
        }
    }
}
