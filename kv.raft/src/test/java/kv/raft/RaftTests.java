package kv.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kv.raft.raftpb.ConfState;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.Message;
import kv.raft.raftpb.MessageType;
import kv.raft.raftpb.Snapshot;
import kv.raft.raftpb.SnapshotMetadata;

/** Helpers for tests that drive {@link Raft} directly, and a lossless in-memory network. */
final class RaftTests {
    static final RaftLogger QUIET = (level, message) -> { };

    private RaftTests() {}

    static RaftConfig config(long id) {
        return RaftConfig.of(id, new SplittableRandom(id)).withTicks(10, 1);
    }

    static MemoryStorage storage(long... voters) {
        return MemoryStorage.withVoters(voters);
    }

    static Raft raft(long id, long[] voters) {
        return new Raft(config(id), storage(voters), QUIET);
    }

    static Raft raft(RaftConfig cfg, Storage s) {
        return new Raft(cfg, s, QUIET);
    }

    static List<Message> read(Raft r) {
        List<Message> out = r.msgs;
        r.msgs = new ArrayList<>();
        return out;
    }

    static Message.Builder msg(MessageType t, long from, long to, long term) {
        return Message.newBuilder().setType(t).setFrom(from).setTo(to).setTerm(term);
    }

    static Entry ent(long term, long index) {
        return Entry.newBuilder().setTerm(term).setIndex(index).build();
    }

    static Entry ent(long term, long index, String data) {
        return Entry.newBuilder().setTerm(term).setIndex(index).setData(com.google.protobuf.ByteString.copyFromUtf8(data)).build();
    }

    /** A storage holding the given entries (terms by position, indexes from 1) and voters. */
    static MemoryStorage storageWithTerms(long[] voters, long... terms) {
        MemoryStorage s = storage(voters);
        List<Entry> es = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            es.add(ent(terms[i], i + 1));
        }
        s.append(es);
        return s;
    }

    static Snapshot snapshot(long index, long term, long... voters) {
        ConfState.Builder cs = ConfState.newBuilder();
        for (long v : voters) {
            cs.addVoters(v);
        }
        return Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(cs)).build();
    }

    static Message hup(long id) {
        return Message.newBuilder().setType(MessageType.MSG_HUP).setFrom(id).setTo(id).build();
    }

    static Message prop(long id, String data) {
        return Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(id).setTo(id)
                .addEntries(Entry.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8(data))).build();
    }

    /** Delivers messages among rafts until quiet; links can be cut. Entries are never persisted. */
    static final class Network {
        final Map<Long, Raft> peers = new TreeMap<>();
        private final Set<List<Long>> cut = new HashSet<>();
        private final Set<Long> isolated = new HashSet<>();

        Network(Raft... rafts) {
            for (Raft r : rafts) {
                peers.put(r.id, r);
            }
        }

        static Network of(int n) {
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = i + 1;
            }
            Raft[] rs = new Raft[n];
            for (int i = 0; i < n; i++) {
                rs[i] = raft(ids[i], ids);
            }
            return new Network(rs);
        }

        Raft get(long id) {
            return peers.get(id);
        }

        void cut(long a, long b) {
            cut.add(List.of(a, b));
            cut.add(List.of(b, a));
        }

        void isolate(long id) {
            isolated.add(id);
        }

        void recover() {
            cut.clear();
            isolated.clear();
        }

        void send(Message... ms) {
            ArrayDeque<Message> q = new ArrayDeque<>(List.of(ms));
            while (!q.isEmpty()) {
                Message m = q.poll();
                if (cut.contains(List.of(m.getFrom(), m.getTo())) || isolated.contains(m.getFrom()) || isolated.contains(m.getTo())) {
                    continue;
                }
                Raft r = peers.get(m.getTo());
                if (r == null) {
                    continue;
                }
                try {
                    r.step(m);
                } catch (ProposalDroppedException e) {
                    // As a client would see it; the network carries on.
                }
                q.addAll(read(r));
            }
        }
    }
}
