package kv.raft;

import java.util.List;
import java.util.stream.Collectors;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;

/** Compact, stable text forms of raft values, for logs and golden test output. */
final class Describe {
    private Describe() {}

    /** etcd's names: MSG_APP_RESP -> MsgAppResp. */
    static String type(MessageType t) {
        StringBuilder b = new StringBuilder("Msg");
        for (String part : t.name().substring(4).split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return b.toString();
    }

    static String entryType(EntryType t) {
        return switch (t) {
            case ENTRY_NORMAL -> "EntryNormal";
            case ENTRY_CONF_CHANGE -> "EntryConfChange";
            case ENTRY_CONF_CHANGE_V2 -> "EntryConfChangeV2";
            case UNRECOGNIZED -> "EntryUnknown";
        };
    }

    static String entry(Entry e) {
        String data;
        ConfChangeV2 cc = ConfChanges.decode(e);
        if (cc != null) {
            data = confChange(cc);
        } else {
            data = "\"" + e.getData().toStringUtf8() + "\"";
        }
        return e.getTerm() + "/" + e.getIndex() + " " + entryType(e.getType()) + (e.getData().isEmpty() && cc == null ? "" : " " + data);
    }

    static String entries(List<Entry> es) {
        return es.stream().map(Describe::entry).collect(Collectors.joining(", ", "[", "]"));
    }

    static String confChange(ConfChangeV2 cc) {
        if (ConfChanges.leaveJoint(cc)) {
            return "leave-joint";
        }
        StringBuilder b = new StringBuilder();
        for (ConfChangeSingle c : cc.getChangesList()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(switch (c.getType()) {
                case CONF_CHANGE_ADD_NODE -> "v";
                case CONF_CHANGE_ADD_LEARNER_NODE -> "l";
                case CONF_CHANGE_REMOVE_NODE -> "r";
                case CONF_CHANGE_UPDATE_NODE -> "u";
                case UNRECOGNIZED -> "?";
            }).append(Long.toHexString(c.getNodeId()));
        }
        switch (cc.getTransition()) {
            case CONF_CHANGE_TRANSITION_JOINT_IMPLICIT -> b.append(" (joint-implicit)");
            case CONF_CHANGE_TRANSITION_JOINT_EXPLICIT -> b.append(" (joint-explicit)");
            default -> { }
        }
        return b.toString();
    }

    static String hardState(HardState hs) {
        return "Term:" + hs.getTerm() + " Vote:" + Long.toHexString(hs.getVote()) + " Commit:" + hs.getCommit();
    }

    static String snapshot(Snapshot s) {
        return "Index:" + s.getMetadata().getIndex() + " Term:" + s.getMetadata().getTerm()
                + " ConfState:" + Membership.of(s.getMetadata().getConfState());
    }

    static String message(Message m) {
        StringBuilder b = new StringBuilder();
        b.append(Long.toHexString(m.getFrom())).append("->").append(Long.toHexString(m.getTo())).append(' ')
                .append(type(m.getType())).append(" Term:").append(m.getTerm())
                .append(" Log:").append(m.getLogTerm()).append('/').append(m.getIndex());
        if (m.getReject()) {
            b.append(" Rejected");
            if (m.getType() == MessageType.MSG_APP_RESP) {
                b.append(" (Hint: ").append(m.getRejectHint()).append(')');
            }
        }
        if (m.getCommit() != 0) {
            b.append(" Commit:").append(m.getCommit());
        }
        if (m.getEntriesCount() > 0) {
            b.append(" Entries:").append(entries(m.getEntriesList()));
        }
        if (!m.getContext().isEmpty()) {
            b.append(" Context:\"").append(m.getContext().toStringUtf8()).append('"');
        }
        if (m.hasSnapshot() && m.getSnapshot().getMetadata().getIndex() != 0) {
            b.append(" Snapshot: ").append(snapshot(m.getSnapshot()));
        }
        return b.toString();
    }
}
