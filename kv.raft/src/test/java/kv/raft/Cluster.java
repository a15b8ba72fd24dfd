package kv.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.Message;

/**
 * A group of members driven only through the public API ({@link RawNode}, {@link Ready},
 * {@link MemoryStorage}), handling each Ready as a server must: persist, send, apply, advance.
 * Messages are delivered in order, losslessly, unless a member is down.
 */
final class Cluster {
    /** One member: its durable storage survives a crash, the RawNode does not. */
    static final class Member {
        final long id;
        final MemoryStorage storage;
        RaftConfig config;
        RawNode node;
        final List<Entry> applied = new ArrayList<>();
        ConfState confState;
        boolean down;

        Member(long id, MemoryStorage storage, RaftConfig config) {
            this.id = id;
            this.storage = storage;
            this.config = config;
            this.node = new RawNode(config, storage, RaftTests.QUIET);
            this.confState = storage.initialState().confState();
        }

        long appliedIndex() {
            return applied.isEmpty() ? storage.snapshot().getMetadata().getIndex() : applied.getLast().getIndex();
        }
    }

    final Map<Long, Member> members = new TreeMap<>();
    final ArrayDeque<Message> network = new ArrayDeque<>();

    Cluster(int n, UnaryOperator<RaftConfig> tweak) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
        }
        for (long id : ids) {
            RaftConfig cfg = tweak.apply(RaftConfig.of(id, new SplittableRandom(id)).withTicks(10, 1));
            members.put(id, new Member(id, MemoryStorage.withVoters(ids), cfg));
        }
    }

    Member get(long id) {
        return members.get(id);
    }

    long leader() {
        for (Member m : members.values()) {
            if (!m.down && m.node.status().role() == StateRole.LEADER) {
                return m.id;
            }
        }
        return 0;
    }

    /** Handles every Ready and delivers every message until nothing moves. */
    void stabilize() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Member m : members.values()) {
                if (!m.down && m.node.hasReady()) {
                    handleReady(m);
                    progress = true;
                }
            }
            while (!network.isEmpty()) {
                Message msg = network.poll();
                Member to = members.get(msg.getTo());
                if (to == null || to.down) {
                    continue;
                }
                try {
                    to.node.step(msg);
                } catch (RaftException e) {
                    // A dropped forwarded proposal or a response from a removed peer: nothing to do.
                }
                progress = true;
            }
        }
    }

    void handleReady(Member m) {
        Ready rd = m.node.ready();
        if (rd.hasSnapshot()) {
            m.storage.applySnapshot(rd.snapshot());
            m.confState = rd.snapshot().getMetadata().getConfState();
        }
        m.storage.append(rd.entries());
        if (rd.hasHardState()) {
            m.storage.setHardState(rd.hardState());
        }
        network.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
            // After a restart raft replays from the snapshot: conf changes are applied again (raft
            // rebuilds its membership from them), data entries already applied are skipped.
            if (e.getType() != EntryType.ENTRY_NORMAL) {
                m.confState = m.node.applyConfChange(ConfChanges.decode(e));
            }
            if (e.getIndex() > m.appliedIndex()) {
                m.applied.add(e);
            }
        }
        m.node.advance(rd);
    }

    /** Elects {@code id} by ticking nothing but asking it to campaign. */
    void elect(long id) {
        get(id).node.campaign();
        stabilize();
    }

    /** Loses everything not yet handed out for persisting; rebuilds the node from storage. */
    void crash(long id) {
        Member m = get(id);
        m.down = true;
        network.removeIf(msg -> msg.getTo() == id);
    }

    void restart(long id) {
        Member m = get(id);
        m.config = m.config.withApplied(m.storage.snapshot().getMetadata().getIndex());
        m.node = new RawNode(m.config, m.storage, RaftTests.QUIET);
        m.down = false;
    }
}
