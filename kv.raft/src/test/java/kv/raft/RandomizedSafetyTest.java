package kv.raft;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kv.raft.raftpb.ConfChangeSingle;
import kv.raft.raftpb.ConfChangeType;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A quick self-check of the core under random ticks, reordering, loss and crashes: members never
 * apply different entries at the same index, and a term never has two leaders. (The full
 * deterministic simulator with planted bugs lives in {@code kv.raft.sim}.)
 */
class RandomizedSafetyTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void appliedLogsAgreeAndOneLeaderPerTerm(boolean preVote) {
        for (long seed = 1; seed <= 30; seed++) {
            run(seed, preVote);
        }
    }

    private static void run(long seed, boolean preVote) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Cluster c = new Cluster(5, cfg -> cfg.withPreVote(preVote).withCheckQuorum(preVote)
                .withMaxInflightMsgs(4).withMaxSizePerMsg(200));
        Map<Long, Long> leaderOfTerm = new HashMap<>();
        List<Message> inFlight = new ArrayList<>();
        int proposals = 0;
        for (int step = 0; step < 3000; step++) {
            int action = rnd.nextInt(100);
            Cluster.Member m = c.get(1 + rnd.nextInt(5));
            if (action < 30) {
                if (!m.down) {
                    m.node.tick();
                }
            } else if (action < 75) {
                for (int k = 1 + rnd.nextInt(4); k > 0 && !inFlight.isEmpty(); k--) {
                    Message msg = inFlight.remove(rnd.nextInt(inFlight.size()));
                    Cluster.Member to = c.get(msg.getTo());
                    if (!to.down && rnd.nextInt(10) > 0) {
                        try {
                            to.node.step(msg);
                        } catch (RaftException e) {
                            // dropped proposal / removed peer
                        }
                    }
                }
            } else if (action < 90) {
                if (!m.down) {
                    try {
                        m.node.propose(("s" + seed + "-" + proposals++).getBytes());
                    } catch (ProposalDroppedException e) {
                        // no leader right now
                    }
                }
            } else if (action < 91) {
                if (!m.down && c.members.values().stream().filter(x -> x.down).count() < 2) {
                    c.crash(m.id);
                    inFlight.removeIf(x -> x.getTo() == m.id);
                }
            } else if (action < 96) {
                if (m.down) {
                    c.restart(m.id);
                }
            } else if (action < 98) {
                proposeMembershipChange(c, rnd);
            }
            for (Cluster.Member x : c.members.values()) {
                if (!x.down && x.node.hasReady()) {
                    c.handleReady(x);
                    inFlight.addAll(c.network);
                    c.network.clear();
                }
                if (!x.down) {
                    Status s = x.node.status();
                    if (s.role() == StateRole.LEADER) {
                        Long prev = leaderOfTerm.putIfAbsent(s.term(), x.id);
                        assertTrue(prev == null || prev == x.id, "seed " + seed + ": two leaders in term " + s.term());
                    }
                }
            }
            if (step % 100 == 0) {
                checkApplied(c, seed);
            }
        }
        checkApplied(c, seed);
        long applied = c.members.values().stream().mapToLong(x -> x.applied.size()).max().orElse(0);
        System.out.println("seed " + seed + " preVote " + preVote + ": applied " + applied);
        assertTrue(applied > 20, "seed " + seed + ": the group made too little progress (" + applied + " entries)");
    }

    /**
     * Members 4 and 5 move between voter and learner, alone or together (joint consensus); 1-3
     * stay voters.
     */
    private static void proposeMembershipChange(Cluster c, SplittableRandom rnd) {
        long leader = c.leader();
        if (leader == 0) {
            return;
        }
        ConfChangeV2.Builder cc = ConfChangeV2.newBuilder();
        for (long id = 4; id <= 5; id++) {
            if (rnd.nextBoolean()) {
                cc.addChanges(ConfChangeSingle.newBuilder().setNodeId(id).setType(rnd.nextBoolean()
                        ? ConfChangeType.CONF_CHANGE_ADD_NODE : ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE));
            }
        }
        try {
            c.get(leader).node.proposeConfChange(cc.build());
        } catch (ProposalDroppedException e) {
            // transfer in progress or over budget
        }
    }

    private static void checkApplied(Cluster c, long seed) {
        Map<Long, Entry> byIndex = new HashMap<>();
        for (Cluster.Member m : c.members.values()) {
            long prev = -1;
            for (Entry e : m.applied) {
                assertTrue(e.getIndex() > prev, "seed " + seed + ": applied out of order on " + m.id);
                prev = e.getIndex();
                Entry other = byIndex.putIfAbsent(e.getIndex(), e);
                assertTrue(other == null || other.equals(e), "seed " + seed + ": members applied different entries at " + e.getIndex());
            }
        }
    }
}
