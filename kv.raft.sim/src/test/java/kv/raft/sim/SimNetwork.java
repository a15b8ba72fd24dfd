package kv.raft.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import kv.raft.raftpb.Message;

/**
 * The simulated network: every message gets a delivery tick; it can be dropped, duplicated, delayed
 * (which reorders it) and is lost if a partition separates its ends at delivery time. Driven only
 * by the simulation's random generator and clock. Not thread-safe (one simulation thread).
 */
final class SimNetwork {
    private record InFlight(long deliverAt, long seq, Message msg) {}

    private final RandomGenerator rng;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    /** Partition group of each node; nodes in different groups cannot talk. Absent: group 0. */
    private final Map<Long, Integer> group = new HashMap<>();
    private long seq;
    private long dropped;
    /** Snapshots lost since the last {@link #lostSnapshots()}: their senders must be told. */
    private List<Message> lostSnapshots = new ArrayList<>();
    private boolean reliable;
    private double dropRate;
    private double dupRate;
    private int maxDelay;
    private double longDelayRate;

    /**
     * @param longDelayRate share of messages held up to 40 ticks, long enough to arrive stale
     *     (an old leader's append reaching a follower of a newer term)
     */
    SimNetwork(RandomGenerator rng, double dropRate, double dupRate, int maxDelay, double longDelayRate) {
        this.rng = rng;
        this.dropRate = dropRate;
        this.dupRate = dupRate;
        this.maxDelay = maxDelay;
        this.longDelayRate = longDelayRate;
    }

    /** Sends {@code m} at tick {@code now}, subject to loss, duplication and delay. */
    void send(long now, Message m) {
        if (!reliable && rng.nextDouble() < dropRate) {
            lost(m);
            return;
        }
        enqueue(now, m);
        if (!reliable && rng.nextDouble() < dupRate) {
            enqueue(now, m);
        }
    }

    private void enqueue(long now, Message m) {
        long delay = 1;
        if (!reliable) {
            // Mostly short delays (reordering among close messages); a few held long enough to be stale.
            delay = rng.nextDouble() < longDelayRate ? 1 + rng.nextInt(40) : 1 + rng.nextInt(maxDelay);
        }
        queue.add(new InFlight(now + delay, seq++, m));
    }

    /** Removes and returns the messages due at or before {@code now} whose ends can talk. */
    List<Message> due(long now) {
        List<Message> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            Message m = queue.poll().msg;
            if (connected(m.getFrom(), m.getTo())) {
                out.add(m);
            } else {
                lost(m);
            }
        }
        return out;
    }

    boolean connected(long a, long b) {
        return group.getOrDefault(a, 0).equals(group.getOrDefault(b, 0));
    }

    /** Splits {@code ids} into two sides at random (each side non-empty when possible). */
    void partition(List<Long> ids) {
        group.clear();
        if (ids.size() < 2) {
            return;
        }
        int minority = 1 + rng.nextInt(Math.max(1, (ids.size() - 1) / 2 + (rng.nextBoolean() ? 1 : 0)));
        List<Long> shuffled = new ArrayList<>(ids);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Long t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        for (int i = 0; i < Math.min(minority, shuffled.size() - 1); i++) {
            group.put(shuffled.get(i), 1);
        }
    }

    /** Cuts one node off from everyone else. */
    void isolate(long id) {
        group.clear();
        group.put(id, 1);
    }

    void heal() {
        group.clear();
    }

    /** From now on: no loss, no duplication, one-tick delay, no partition. Messages in flight stay. */
    void makeReliable() {
        heal();
        reliable = true;
        dropRate = 0;
        dupRate = 0;
        maxDelay = 1;
        longDelayRate = 0;
    }

    private void lost(Message m) {
        dropped++;
        if (m.getType() == kv.raft.raftpb.MessageType.MSG_SNAP) {
            lostSnapshots.add(m);
        }
    }

    List<Message> lostSnapshots() {
        List<Message> out = lostSnapshots;
        lostSnapshots = new ArrayList<>();
        return out;
    }

    /** Messages lost so far, to loss or to a partition. */
    long dropped() {
        return dropped;
    }

    int inFlight() {
        return queue.size();
    }
}
