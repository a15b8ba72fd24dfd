package kv.raft.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeTransition;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.ConfChangeV2;

/**
 * The membership changes the simulated operator asks for: learners added and promoted, voters
 * removed and demoted, voters swapped through joint consensus (ConfChangeV2, with automatic,
 * implicit and explicit transitions), single steps in both encodings. Decides only; the
 * simulation proposes. Not thread-safe.
 */
final class MembershipChanges {
    private final RandomGenerator rng;

    MembershipChanges(RandomGenerator rng) {
        this.rng = rng;
    }

    /**
     * A change that makes sense for the leader's configuration {@code cs} (a {@link ConfChange} or a
     * {@link ConfChangeV2}), or null. {@code newMember} yields a node that is not a member yet; it
     * is called only if {@code canGrow} and only when the chosen change needs one.
     */
    Object next(ConfState cs, boolean canGrow, LongSupplier newMember) {
        if (cs.getVotersOutgoingCount() > 0) {
            // Joint: only leaving it is allowed; with auto-leave the leader does it itself.
            return cs.getAutoLeave() ? null : ConfChangeV2.getDefaultInstance();
        }
        List<Long> voters = cs.getVotersList();
        List<Long> learners = cs.getLearnersList();
        List<Supplier<Object>> choices = new ArrayList<>();
        if (canGrow) {
            choices.add(() -> single(ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE, newMember.getAsLong()));
            // A brand-new node replaces a voter, joining as a voter directly.
            choices.add(() -> joint(ConfChangeType.CONF_CHANGE_ADD_NODE, newMember.getAsLong(), pick(voters)));
        }
        if (!learners.isEmpty()) {
            choices.add(() -> single(ConfChangeType.CONF_CHANGE_ADD_NODE, pick(learners)));
            choices.add(() -> single(ConfChangeType.CONF_CHANGE_REMOVE_NODE, pick(learners)));
            // A learner is swapped in for a voter.
            choices.add(() -> joint(ConfChangeType.CONF_CHANGE_ADD_NODE, pick(learners), pick(voters)));
        }
        if (voters.size() > 3) {
            choices.add(() -> single(ConfChangeType.CONF_CHANGE_REMOVE_NODE, pick(voters)));
            // A voter is demoted to a learner.
            choices.add(() -> ConfChangeV2.newBuilder().setTransition(transition())
                    .addChanges(change(ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE, pick(voters))).build());
        }
        return choices.isEmpty() ? null : choices.get(rng.nextInt(choices.size())).get();
    }

    /**
     * What the heal phase needs proposed so the group can make progress: leaving an explicit
     * joint configuration, or removing a voter that was shut down (a race between a removal and
     * a re-promotion); null if nothing.
     */
    static Object repair(ConfState cs, LongPredicate decommissioned) {
        if (cs.getVotersOutgoingCount() > 0) {
            return cs.getAutoLeave() ? null : ConfChangeV2.getDefaultInstance();
        }
        for (long v : cs.getVotersList()) {
            if (decommissioned.test(v)) {
                return ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE).setNodeId(v).build();
            }
        }
        return null;
    }

    /** Every node a configuration mentions, in any role. */
    static Set<Long> members(ConfState cs) {
        Set<Long> in = new HashSet<>(cs.getVotersList());
        in.addAll(cs.getLearnersList());
        in.addAll(cs.getVotersOutgoingList());
        in.addAll(cs.getLearnersNextList());
        return in;
    }

    private long pick(List<Long> ids) {
        return ids.get(rng.nextInt(ids.size()));
    }

    private ConfChangeTransition transition() {
        return ConfChangeTransition.forNumber(rng.nextInt(3));
    }

    private static ConfChangeSingle change(ConfChangeType type, long id) {
        return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
    }

    /** Adds {@code in} (as {@code type}) and removes voter {@code out} in one joint change. */
    private ConfChangeV2 joint(ConfChangeType type, long in, long out) {
        return ConfChangeV2.newBuilder().setTransition(transition()).addChanges(change(type, in))
                .addChanges(change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, out)).build();
    }

    /** A single-step change, half of the time in the V1 and half in the V2 encoding. */
    private Object single(ConfChangeType type, long id) {
        if (rng.nextBoolean()) {
            return ConfChange.newBuilder().setType(type).setNodeId(id).build();
        }
        return ConfChangeV2.newBuilder().addChanges(change(type, id)).build();
    }
}
