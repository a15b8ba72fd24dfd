package kv.server.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.System.Logger.Level;
import java.util.List;
import kv.admin.clusterpb.Member;
import kv.mvcc.MvccStore;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeV2;
import kv.server.serverpb.ConfChangeContext;
import kv.server.serverpb.MemberAttributes;

/**
 * Applies membership to the member records: each raft conf change with the member record its
 * context carries, and each member's published attributes. Runs on the apply thread, in log order,
 * writing through {@link MvccStore#applyAux} so the change and the applied index commit together.
 */
public final class MembershipApplier {
    private static final System.Logger LOG = System.getLogger(MembershipApplier.class.getName());
    private final ClusterMembers members;
    private final MvccStore store;

    public MembershipApplier(ClusterMembers members, MvccStore store) {
        this.members = members;
        this.store = store;
    }

    /** The request id and member record a conf change's context carries (empty for raft's own). */
    public static ConfChangeContext context(ByteString raw) {
        try {
            return ConfChangeContext.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a conf change carries a context that is not kv's: " + e.getMessage(), e);
        }
    }

    /** Records conf change {@code cc} of entry {@code index}; returns the member list after it. */
    public List<Member> apply(long index, ConfChangeV2 cc) {
        ConfChangeContext ctx = context(cc.getContext());
        store.applyAux(index, tx -> {
            for (ConfChangeSingle c : cc.getChangesList()) {
                long id = c.getNodeId();
                Member given = ctx.hasMember() && ctx.getMember().getId() == id ? ctx.getMember() : Member.newBuilder().setId(id).build();
                Member known = members.get(id).orElse(null);
                switch (c.getType()) {
                    case CONF_CHANGE_ADD_NODE -> members.add(tx, known == null ? given.toBuilder().setIsLearner(false).build()
                            : known.toBuilder().setIsLearner(false).build()); // a promoted learner keeps its record
                    case CONF_CHANGE_ADD_LEARNER_NODE -> members.add(tx, (known == null ? given : known).toBuilder().setIsLearner(true).build());
                    case CONF_CHANGE_REMOVE_NODE -> members.remove(tx, id);
                    case CONF_CHANGE_UPDATE_NODE -> {
                        Member base = known == null ? given : known;
                        members.update(tx, base.toBuilder().clearPeerUrls().addAllPeerUrls(given.getPeerUrlsList()).build());
                    }
                    case UNRECOGNIZED -> throw new IllegalStateException("entry " + index + ": unknown conf change type");
                }
                LOG.log(Level.INFO, "applied {0} of member {1} at index {2}", c.getType(), Long.toHexString(id), index);
            }
            return null;
        });
        return members.list();
    }

    /** Records a member's published name and client URLs; a removed or unknown member's are ignored. */
    public void apply(long index, MemberAttributes a) {
        store.applyAux(index, tx -> {
            members.get(a.getMemberId()).ifPresent(m -> members.update(tx, m.toBuilder().setName(a.getName())
                    .clearClientUrls().addAllClientUrls(a.getClientUrlsList()).build()));
            return null;
        });
    }
}
