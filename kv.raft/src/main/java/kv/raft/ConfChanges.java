package kv.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeTransition;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;

/** Decoding and classification of conf changes; both wire forms are handled as {@link ConfChangeV2}. */
final class ConfChanges {
    private ConfChanges() {}

    static ConfChangeV2 toV2(ConfChange cc) {
        return ConfChangeV2.newBuilder()
                .addChanges(ConfChangeSingle.newBuilder().setType(cc.getType()).setNodeId(cc.getNodeId()))
                .setContext(cc.getContext()).build();
    }

    /** The conf change carried by a log entry, or null for a normal entry. */
    static ConfChangeV2 decode(Entry e) {
        try {
            return switch (e.getType()) {
                case ENTRY_NORMAL -> null;
                case ENTRY_CONF_CHANGE -> toV2(ConfChange.parseFrom(e.getData()));
                case ENTRY_CONF_CHANGE_V2 -> ConfChangeV2.parseFrom(e.getData());
                case UNRECOGNIZED -> throw new IllegalStateException("unknown entry type " + e.getTypeValue());
            };
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("corrupt conf change at index " + e.getIndex(), ex);
        }
    }

    /** The empty V2 change (auto transition, no steps) means "leave the joint configuration". */
    static boolean leaveJoint(ConfChangeV2 cc) {
        return cc.getTransition() == ConfChangeTransition.CONF_CHANGE_TRANSITION_AUTO && cc.getChangesCount() == 0;
    }

    /** More than one step, or an explicit request, goes through a joint configuration. */
    static boolean entersJoint(ConfChangeV2 cc) {
        return cc.getTransition() != ConfChangeTransition.CONF_CHANGE_TRANSITION_AUTO || cc.getChangesCount() > 1;
    }
}
