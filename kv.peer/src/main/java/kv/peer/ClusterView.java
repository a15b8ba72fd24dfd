package kv.peer;

import java.util.List;
import java.util.Optional;

/**
 * The membership of a cluster as one member sees it: what a member started with
 * {@code --initial-cluster-state existing} learns from {@link PeerClient#fetchMembers}. An
 * immutable value; ids are unsigned 64-bit.
 *
 * @param clusterId the cluster id
 * @param members   the members, in the order the answering member listed them
 */
public record ClusterView(long clusterId, List<PeerMember> members) {
    public ClusterView {
        members = List.copyOf(members);
    }

    /** The member with this id, if any. */
    public Optional<PeerMember> member(long id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }
}
