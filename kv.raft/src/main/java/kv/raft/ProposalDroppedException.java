package kv.raft;

/**
 * A proposal was not appended: there is no leader, forwarding is disabled, a leadership transfer is
 * in progress, the uncommitted-size budget is exhausted, or this member was removed. The caller may
 * retry later; nothing of the proposal was kept.
 */
public final class ProposalDroppedException extends RaftException {
    public ProposalDroppedException() {
        super("raft proposal dropped");
    }
}
