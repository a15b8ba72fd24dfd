package kv.raft;

import java.util.Map;
import kv.raft.raftpb.ConfState;

/**
 * A point-in-time copy of a member's state, for monitoring and tests. Immutable.
 *
 * @param id this member
 * @param term current term
 * @param vote candidate voted for in this term (0 for none)
 * @param commit highest committed index
 * @param applied highest index handed to the application and acknowledged by advance
 * @param lead current leader (0 for none)
 * @param role this member's role
 * @param leadTransferee target of a leadership transfer in progress (0 for none)
 * @param config the current membership
 * @param progress per-peer replication progress; empty unless this member is the leader
 */
public record Status(long id, long term, long vote, long commit, long applied, long lead, StateRole role,
                     long leadTransferee, ConfState config, Map<Long, Progress> progress) {
    public Status {
        progress = Map.copyOf(progress);
    }
}
