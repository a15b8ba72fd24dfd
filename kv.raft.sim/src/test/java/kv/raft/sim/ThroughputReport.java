package kv.raft.sim;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kv.raft.MemoryStorage;
import kv.raft.RaftConfig;
import kv.raft.RawNode;
import kv.raft.Ready;
import kv.raft.StateRole;
import kv.raft.raftpb.ConfChange;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.EntryType;
import kv.raft.raftpb.Message;

/**
 * Committed entries per second through an in-memory 3-node group (MemoryStorage, messages handed
 * over directly, no faults), for a given proposal batch size. A plain loop timed with nanoTime:
 * a figure to print, not a benchmark to assert on. {@code main} takes the seconds per batch size.
 */
final class ThroughputReport {
    private final RawNode[] nodes = new RawNode[3];
    private final MemoryStorage[] storages = new MemoryStorage[3];
    private final ArrayDeque<Message> wire = new ArrayDeque<>();
    private long appliedOnLeader;

    ThroughputReport(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Long> peers = List.of(1L, 2L, 3L);
        for (int i = 0; i < 3; i++) {
            storages[i] = new MemoryStorage();
            RaftConfig cfg = RaftConfig.of(i + 1, rng.split()).withMaxInflightMsgs(256);
            nodes[i] = new RawNode(cfg, storages[i], new SilentLogger("throughput"));
            nodes[i].bootstrap(peers);
        }
        pump(); // the bootstrap conf changes must be applied before anyone may campaign
        nodes[0].campaign();
        pump();
        if (nodes[0].status().role() != StateRole.LEADER) {
            throw new IllegalStateException("node 1 did not become leader");
        }
    }

    /** Entries committed (applied on the leader) per second with batches of {@code batch}. */
    double entriesPerSecond(int batch, long nanos) {
        List<ByteString> values = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            values.add(ByteString.copyFromUtf8("value-" + i + "-0123456789abcdef0123456789abcdef"));
        }
        long start = appliedOnLeader;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            for (int k = 0; k < 16; k++) {
                nodes[0].propose(values);
                pump();
            }
            elapsed = System.nanoTime() - t0;
        } while (elapsed < nanos);
        return (appliedOnLeader - start) * 1e9 / elapsed;
    }

    private void pump() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int i = 0; i < 3; i++) {
                if (nodes[i].hasReady()) {
                    handle(i, nodes[i].ready());
                    busy = true;
                }
            }
            while (!wire.isEmpty()) {
                Message m = wire.poll();
                nodes[(int) m.getTo() - 1].step(m);
                busy = true;
            }
        }
    }

    private void handle(int i, Ready rd) {
        storages[i].append(rd.entries());
        if (rd.hasHardState()) {
            storages[i].setHardState(rd.hardState());
        }
        wire.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
            if (e.getType() == EntryType.ENTRY_CONF_CHANGE) {
                try {
                    nodes[i].applyConfChange(ConfChange.parseFrom(e.getData()));
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new IllegalStateException(ex);
                }
            } else if (i == 0 && !e.getData().isEmpty()) {
                appliedOnLeader++;
            }
        }
        nodes[i].advance(rd);
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        for (int batch : new int[] {1, 64}) {
            ThroughputReport group = new ThroughputReport(batch);
            group.entriesPerSecond(batch, (long) (seconds * 0.3e9)); // warm-up
            double rate = group.entriesPerSecond(batch, (long) (seconds * 1e9));
            System.out.printf("kv.raft in-memory 3-node group, batch %d: %.0f committed entries/s%n", batch, rate);
        }
    }
}
