package kv.raft;

/** The role a member plays in its current term. */
public enum StateRole {
    FOLLOWER, CANDIDATE, LEADER, PRE_CANDIDATE
}
