package kv.raft;

import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import kv.raft.raftpb.ConfChangeSingle;

/**
 * Computes the next configuration from the current one and a conf change, either in one step
 * (at most one voter changes) or through a joint configuration (Raft thesis §4.3). Works on
 * copies; the result is installed by {@link Raft#applyConfChange}. A change that cannot be applied
 * is an invariant violation: the leader refuses such proposals before they enter the log.
 */
final class Changer {
    /** A new configuration together with the progress map that goes with it. */
    record Result(Membership config, TreeMap<Long, PeerProgress> progress) {}

    private final TreeSet<Long> incoming;
    private final TreeSet<Long> outgoing;
    private final TreeSet<Long> learners;
    private final TreeSet<Long> learnersNext;
    private boolean autoLeave;
    private final TreeMap<Long, PeerProgress> progress;
    private final long lastIndex;
    private final int maxInflight;

    Changer(ProgressTracker tracker, long lastIndex) {
        Membership c = tracker.config;
        this.incoming = new TreeSet<>(c.incoming());
        this.outgoing = new TreeSet<>(c.outgoing());
        this.learners = new TreeSet<>(c.learners());
        this.learnersNext = new TreeSet<>(c.learnersNext());
        this.autoLeave = c.autoLeave();
        this.progress = new TreeMap<>(tracker.progress);
        this.lastIndex = lastIndex;
        this.maxInflight = tracker.maxInflight;
    }

    Result enterJoint(boolean autoLeave, List<ConfChangeSingle> changes) {
        if (!outgoing.isEmpty()) {
            throw new IllegalStateException("config is already joint");
        }
        if (incoming.isEmpty()) {
            throw new IllegalStateException("can't make a zero-voter config joint");
        }
        outgoing.addAll(incoming);
        apply(changes);
        this.autoLeave = autoLeave;
        return result();
    }

    Result leaveJoint() {
        if (outgoing.isEmpty()) {
            throw new IllegalStateException("can't leave a non-joint config");
        }
        for (long id : learnersNext) {
            learners.add(id);
            progress.get(id).isLearner = true;
        }
        learnersNext.clear();
        for (long id : outgoing) {
            if (!incoming.contains(id) && !learners.contains(id)) {
                progress.remove(id);
            }
        }
        outgoing.clear();
        autoLeave = false;
        return result();
    }

    Result simple(List<ConfChangeSingle> changes) {
        if (!outgoing.isEmpty()) {
            throw new IllegalStateException("can't apply simple config change in joint config");
        }
        TreeSet<Long> before = new TreeSet<>(incoming);
        apply(changes);
        int diff = 0;
        for (long id : before) {
            diff += incoming.contains(id) ? 0 : 1;
        }
        for (long id : incoming) {
            diff += before.contains(id) ? 0 : 1;
        }
        if (diff > 1) {
            throw new IllegalStateException("more than one voter changed without entering joint config");
        }
        return result();
    }

    private void apply(List<ConfChangeSingle> changes) {
        for (ConfChangeSingle cc : changes) {
            long id = cc.getNodeId();
            if (id == 0) {
                continue; // etcd uses a zero node id for no-op changes
            }
            switch (cc.getType()) {
                case CONF_CHANGE_ADD_NODE -> makeVoter(id);
                case CONF_CHANGE_ADD_LEARNER_NODE -> makeLearner(id);
                case CONF_CHANGE_REMOVE_NODE -> remove(id);
                case CONF_CHANGE_UPDATE_NODE -> { }
                case UNRECOGNIZED -> throw new IllegalStateException("unexpected conf change type " + cc.getTypeValue());
            }
        }
        if (incoming.isEmpty()) {
            throw new IllegalStateException("removed all voters");
        }
    }

    private void makeVoter(long id) {
        PeerProgress pr = progress.get(id);
        if (pr == null) {
            initProgress(id, false);
            return;
        }
        pr.isLearner = false;
        learners.remove(id);
        learnersNext.remove(id);
        incoming.add(id);
    }

    private void makeLearner(long id) {
        PeerProgress pr = progress.get(id);
        if (pr == null) {
            initProgress(id, true);
            return;
        }
        if (pr.isLearner) {
            return;
        }
        remove(id);
        progress.put(id, pr);
        // A voter of the outgoing half cannot become a learner before the joint state is left.
        if (outgoing.contains(id)) {
            learnersNext.add(id);
        } else {
            pr.isLearner = true;
            learners.add(id);
        }
    }

    private void remove(long id) {
        if (!progress.containsKey(id)) {
            return;
        }
        incoming.remove(id);
        learners.remove(id);
        learnersNext.remove(id);
        if (!outgoing.contains(id)) {
            progress.remove(id);
        }
    }

    private void initProgress(long id, boolean isLearner) {
        if (isLearner) {
            learners.add(id);
        } else {
            incoming.add(id);
        }
        // Start probing at the leader's last index; recently active so that check-quorum does not
        // count a member that was just added against the leader.
        PeerProgress pr = new PeerProgress(0, Math.max(lastIndex, 1), maxInflight, isLearner);
        pr.recentActive = true;
        progress.put(id, pr);
    }

    private Result result() {
        return new Result(new Membership(incoming, outgoing, learners, learnersNext, autoLeave), progress);
    }
}
