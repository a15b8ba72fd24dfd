package kv.server.node;

import com.google.protobuf.InvalidProtocolBufferException;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;

/** Reads the membership change a conf-change entry carries, in either of its two encodings. */
final class ConfChanges {
    private ConfChanges() {}

    static ConfChangeV2 asV2(Entry e) {
        try {
            if (e.getType() == EntryType.ENTRY_CONF_CHANGE_V2) {
                return ConfChangeV2.parseFrom(e.getData());
            }
            ConfChange cc = ConfChange.parseFrom(e.getData());
            return ConfChangeV2.newBuilder()
                    .addChanges(ConfChangeSingle.newBuilder().setType(cc.getType()).setNodeId(cc.getNodeId()))
                    .setContext(cc.getContext())
                    .build();
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("conf-change entry " + e.getIndex() + " does not decode: " + ex.getMessage(), ex);
        }
    }
}
