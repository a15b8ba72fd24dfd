package kv.raft;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;

/**
 * How a leader handles messages: proposals (with the one-pending-conf-change rule), read-index
 * requests, append and heartbeat responses (replication, commit, back-off), snapshot status and
 * leadership transfer. Part of {@link Raft}, split out for size; shares its state. Not thread-safe.
 */
final class Leader {
    private final Raft r;

    Leader(Raft r) {
        this.r = r;
    }

    void step(Message m) {
        switch (m.getType()) {
            case MSG_BEAT -> {
                r.bcastHeartbeat();
                return;
            }
            case MSG_CHECK_QUORUM -> {
                if (!r.prs.quorumActive(r.id)) {
                    r.log(WARNING, "%x stepped down to follower since quorum is not active", r.id);
                    r.becomeFollower(r.term, 0);
                }
                // The next window starts afresh.
                r.prs.progress.forEach((pid, pr) -> {
                    if (pid != r.id) {
                        pr.recentActive = false;
                    }
                });
                return;
            }
            case MSG_PROP -> {
                stepLeaderProposal(m);
                return;
            }
            case MSG_READ_INDEX -> {
                stepLeaderReadIndex(m);
                return;
            }
            default -> { }
        }
        PeerProgress pr = r.prs.progress.get(m.getFrom());
        if (pr == null) {
            r.log(DEBUG, "%x no progress available for %x", r.id, m.getFrom());
            return;
        }
        switch (m.getType()) {
            case MSG_APP_RESP -> handleAppendResponse(m, pr);
            case MSG_HEARTBEAT_RESP -> handleHeartbeatResponse(m, pr);
            case MSG_SNAP_STATUS -> {
                if (pr.state != ProgressState.SNAPSHOT) {
                    return;
                }
                if (!m.getReject()) {
                    pr.becomeProbe();
                    r.log(DEBUG, "%x snapshot succeeded, resumed sending replication messages to %x [%s]", r.id, m.getFrom(), pr);
                } else {
                    pr.pendingSnapshot = 0;
                    pr.becomeProbe();
                    r.log(DEBUG, "%x snapshot failed, resumed sending replication messages to %x [%s]", r.id, m.getFrom(), pr);
                }
                // Wait for a heartbeat response before probing: the snapshot may still be applying.
                pr.probeSent = true;
            }
            case MSG_UNREACHABLE -> {
                if (pr.state == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                r.log(DEBUG, "%x failed to send message to %x because it is unreachable [%s]", r.id, m.getFrom(), pr);
            }
            case MSG_TRANSFER_LEADER -> handleTransferLeader(m, pr);
            default -> { }
        }
    }

    private void stepLeaderProposal(Message m) {
        if (m.getEntriesCount() == 0) {
            throw new IllegalStateException(String.format("%x stepped empty MsgProp", r.id));
        }
        if (!r.prs.progress.containsKey(r.id)) {
            // Removed from the configuration while still leading: do not take new work.
            throw new ProposalDroppedException();
        }
        if (r.leadTransferee != 0) {
            r.log(DEBUG, "%x [term %d] transfer leadership to %x is in progress; dropping proposal", r.id, r.term, r.leadTransferee);
            throw new ProposalDroppedException();
        }
        List<Entry> ents = new ArrayList<>(m.getEntriesList());
        for (int i = 0; i < ents.size(); i++) {
            Entry e = ents.get(i);
            ConfChangeV2 cc = ConfChanges.decode(e);
            if (cc == null) {
                continue;
            }
            boolean alreadyPending = r.pendingConfIndex > r.raftLog.applied;
            boolean alreadyJoint = r.prs.config.joint();
            boolean wantsLeaveJoint = ConfChanges.leaveJoint(cc);
            String refused = null;
            if (alreadyPending) {
                refused = String.format("possible unapplied conf change at index %d (applied to %d)", r.pendingConfIndex, r.raftLog.applied);
            } else if (alreadyJoint && !wantsLeaveJoint) {
                refused = "must transition out of joint config first";
            } else if (!alreadyJoint && wantsLeaveJoint) {
                refused = "not in joint state; refusing empty conf change";
            }
            if (refused != null) {
                // Kept in the log as an empty normal entry so that indexes stay as the proposer expects.
                r.log(INFO, "%x ignoring conf change %s at config %s: %s", r.id, Describe.confChange(cc), r.prs.config, refused);
                ents.set(i, Entry.newBuilder().setType(EntryType.ENTRY_NORMAL).build());
            } else {
                r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
            }
        }
        long first = r.raftLog.lastIndex() + 1;
        if (!r.appendEntry(ents)) {
            throw new ProposalDroppedException();
        }
        if (m.getFrom() != r.id) {
            r.forwardedAppended(first, r.raftLog.lastIndex());
        }
        r.bcastAppend();
    }

    private void stepLeaderReadIndex(Message m) {
        if (r.prs.isSingleton()) {
            Message resp = responseToReadIndexReq(m, r.raftLog.committed);
            if (resp != null) {
                r.send(resp.toBuilder());
            }
            return;
        }
        // §6.4: until an entry of its own r.term is committed, a new leader does not know the
        // commit index of the previous r.term; postpone the request until then.
        if (!committedEntryInCurrentTerm()) {
            r.pendingReadIndexMessages.add(m);
            return;
        }
        sendReadIndexResponse(m);
    }

    private void sendReadIndexResponse(Message m) {
        if (r.cfg.hasFault(RaftConfig.TestingFault.CONFIRM_READ_INDEX_AT_ONCE)) {
            Message resp = responseToReadIndexReq(m, r.raftLog.committed);
            if (resp != null) {
                r.send(resp.toBuilder());
            }
            return;
        }
        switch (r.readOnly.option) {
            case SAFE -> {
                ByteString ctx = m.getEntries(0).getData();
                r.readOnly.addRequest(r.raftLog.committed, m);
                r.readOnly.recvAck(r.id, ctx);
                r.bcastHeartbeatWithCtx(ctx);
            }
            case LEASE_BASED -> {
                Message resp = responseToReadIndexReq(m, r.raftLog.committed);
                if (resp != null) {
                    r.send(resp.toBuilder());
                }
            }
        }
    }

    /** A local request becomes a ReadState; a forwarded one gets a response message (else null). */
    private Message responseToReadIndexReq(Message req, long readIndex) {
        if (req.getFrom() == 0 || req.getFrom() == r.id) {
            r.readStates.add(new ReadState(readIndex, req.getEntries(0).getData()));
            return null;
        }
        return Message.newBuilder().setType(MessageType.MSG_READ_INDEX_RESP).setTo(req.getFrom())
                .setIndex(readIndex).addAllEntries(req.getEntriesList()).build();
    }

    private boolean committedEntryInCurrentTerm() {
        return r.raftLog.termOrZero(r.raftLog.committed) == r.term;
    }

    private void releasePendingReadIndexMessages() {
        if (r.pendingReadIndexMessages.isEmpty() || !committedEntryInCurrentTerm()) {
            return;
        }
        List<Message> pending = List.copyOf(r.pendingReadIndexMessages);
        r.pendingReadIndexMessages.clear();
        for (Message m : pending) {
            sendReadIndexResponse(m);
        }
    }

    private void handleAppendResponse(Message m, PeerProgress pr) {
        pr.recentActive = true;
        if (m.getReject()) {
            r.log(DEBUG, "%x received MsgAppResp(rejected, hint: (index %d, term %d)) from %x for index %d",
                    r.id, m.getRejectHint(), m.getLogTerm(), m.getFrom(), m.getIndex());
            long nextProbe = m.getRejectHint();
            if (m.getLogTerm() > 0) {
                // Skip every entry of a r.term the follower cannot have (fast back-off).
                nextProbe = r.raftLog.findConflictByTerm(m.getRejectHint(), m.getLogTerm());
            }
            if (pr.maybeDecrTo(m.getIndex(), nextProbe)) {
                r.log(DEBUG, "%x decreased progress of %x to [%s]", r.id, m.getFrom(), pr);
                if (pr.state == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                r.sendAppend(m.getFrom());
            }
            return;
        }
        boolean oldPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.getIndex())) {
            return;
        }
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match + 1 >= r.raftLog.firstIndex()) {
                    r.log(DEBUG, "%x recovered from needing snapshot, resumed sending replication messages to %x [%s]", r.id, m.getFrom(), pr);
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights.freeLE(m.getIndex());
        }
        if (r.maybeCommit()) {
            releasePendingReadIndexMessages();
            r.commitAdvanced();
        } else if (oldPaused) {
            r.sendAppend(m.getFrom());
        }
        while (r.maybeSendAppend(m.getFrom(), false)) {
            // Fill the inflight window.
        }
        if (m.getFrom() == r.leadTransferee && pr.match == r.raftLog.lastIndex()) {
            r.log(INFO, "%x sent MsgTimeoutNow to %x after received MsgAppResp", r.id, m.getFrom());
            r.sendTimeoutNow(m.getFrom());
        }
    }

    private void handleHeartbeatResponse(Message m, PeerProgress pr) {
        pr.recentActive = true;
        pr.probeSent = false;
        if (pr.state == ProgressState.REPLICATE && pr.inflights.full()) {
            pr.inflights.freeFirstOne();
        }
        if (pr.match < r.raftLog.lastIndex()) {
            r.sendAppend(m.getFrom());
        }
        if (r.readOnly.option != RaftConfig.ReadOnlyOption.SAFE || m.getContext().isEmpty()) {
            return;
        }
        Map<Long, Boolean> acks = r.readOnly.recvAck(m.getFrom(), m.getContext());
        if (acks == null || r.prs.config.voteResult(acks) != Membership.VoteResult.WON) {
            return;
        }
        for (ReadOnly.Pending p : r.readOnly.advance(m.getContext())) {
            Message resp = responseToReadIndexReq(p.req(), p.index());
            if (resp != null) {
                r.send(resp.toBuilder());
            }
        }
    }

    private void handleTransferLeader(Message m, PeerProgress pr) {
        if (pr.isLearner) {
            r.log(DEBUG, "%x is learner. Ignored transferring leadership", m.getFrom());
            return;
        }
        long transferee = m.getFrom();
        if (r.leadTransferee != 0) {
            if (r.leadTransferee == transferee) {
                r.log(INFO, "%x [term %d] transfer leadership to %x is in progress, ignores request to same node %x",
                        r.id, r.term, transferee, transferee);
                return;
            }
            r.log(INFO, "%x [term %d] abort previous transferring leadership to %x", r.id, r.term, r.leadTransferee);
            r.abortLeaderTransfer();
        }
        if (transferee == r.id) {
            r.log(DEBUG, "%x is already leader. Ignored transferring leadership to self", r.id);
            return;
        }
        r.log(INFO, "%x [term %d] starts to transfer leadership to %x", r.id, r.term, transferee);
        // The transfer must finish within an election timeout or it is abandoned.
        r.electionElapsed = 0;
        r.leadTransferee = transferee;
        if (pr.match == r.raftLog.lastIndex()) {
            r.sendTimeoutNow(transferee);
            r.log(INFO, "%x sends MsgTimeoutNow to %x immediately as %x already has up-to-date log", r.id, transferee, transferee);
        } else {
            r.sendAppend(transferee);
        }
    }
}
