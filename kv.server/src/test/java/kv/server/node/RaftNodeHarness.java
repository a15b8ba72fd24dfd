package kv.server.node;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import kv.raft.MemoryStorage;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.raftpb.ConfChangeV2;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.Snapshot;

/** RaftNodes over memory storage, a log that remembers what it made durable and a machine that records what it applied. */
final class RaftNodeHarness implements AutoCloseable {
    private final List<RaftNode> nodes = new ArrayList<>();

    @Override
    public void close() {
        nodes.forEach(RaftNode::close);
    }

    record Member(RaftNode node, Machine machine) {}

    Member single(long id) {
        return start(id, List.of(id), new Transport() {
            @Override
            public void send(List<Message> messages) {}

            @Override
            public void close() {}
        }, true);
    }

    Member start(long id, List<Long> peers, Transport transport, boolean campaign) {
        return start(id, peers, transport, campaign, 1);
    }

    Member start(long id, List<Long> peers, Transport transport, boolean campaign, int heartbeatTicks) {
        return start(id, peers, transport, campaign, heartbeatTicks, UnaryOperator.identity());
    }

    /**
     * Ticks of 10 ms, elections after 10 to 20 of them, a heartbeat every {@code heartbeatTicks};
     * commit broadcasts deferred, as in kvd; {@code tune} changes the rest of raft's configuration.
     */
    Member start(long id, List<Long> peers, Transport transport, boolean campaign, int heartbeatTicks, UnaryOperator<RaftConfig> tune) {
        MemoryStorage storage = new MemoryStorage();
        RawNode raw = new RawNode(tune.apply(RaftConfig.of(id, new SplittableRandom(id)).withTicks(Math.max(10, heartbeatTicks + 1), heartbeatTicks)
                .withDeferredCommitBroadcast(true)), storage); // as kvd's
        raw.bootstrap(peers);
        Log log = new Log();
        Machine machine = new Machine(log);
        RaftNode node = new RaftNode(raw, storage, log, transport, machine, Duration.ofMillis(10), 1_000_000,
                NodeObserver.NONE, t -> {});
        nodes.add(node);
        node.start(campaign);
        return new Member(node, machine);
    }

    static byte[] idBytes(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A log that remembers the last index it made durable. */
    static final class Log implements DurableRaftLog {
        volatile long synced;

        @Override
        public void save(HardState hardState, List<Entry> entries, boolean sync) {
            if (!entries.isEmpty()) {
                synced = entries.getLast().getIndex();
            }
        }

        @Override
        public void saveSnapshot(Snapshot snapshot) {}

        @Override
        public void releaseTo(long index) {}

        @Override
        public void close() {}
    }

    /** Records what it applied, on which thread, and any entry applied before the log had it durable. */
    static final class Machine implements StateMachine {
        final Log log;
        final List<Long> applied = new CopyOnWriteArrayList<>();
        final List<Long> appliedBeforeSynced = new CopyOnWriteArrayList<>();
        final Map<Long, String> appliedOn = new ConcurrentHashMap<>();
        final List<Long> indexes = new CopyOnWriteArrayList<>();
        volatile long index;

        boolean inLogOrder() {
            for (int i = 1; i < indexes.size(); i++) {
                if (indexes.get(i) <= indexes.get(i - 1)) {
                    return false;
                }
            }
            return true;
        }

        Machine(Log log) {
            this.log = log;
        }

        @Override
        public long appliedIndex() {
            return index;
        }

        @Override
        public Applied apply(Entry entry) {
            if (entry.getIndex() > log.synced) {
                appliedBeforeSynced.add(entry.getIndex());
            }
            index = entry.getIndex();
            indexes.add(entry.getIndex());
            long id = ByteBuffer.wrap(entry.getData().toByteArray()).getLong();
            applied.add(id);
            appliedOn.put(id, Thread.currentThread().getName());
            return new Applied(id, "applied " + id);
        }

        @Override
        public Applied applyConfChange(Entry entry, ConfChangeV2 change, ConfState state) {
            index = entry.getIndex();
            ByteString ctx = change.getContext();
            return new Applied(ctx.size() == 8 ? ByteBuffer.wrap(ctx.toByteArray()).getLong() : 0, state);
        }

        @Override
        public void restore(Snapshot snapshot) {}

        @Override
        public void sync() {}
    }
}
