package kv.raft;

import static kv.raft.RaftTests.ent;
import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.SplittableRandom;
import kv.raft.raftpb.ConfState;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {
    private static MemoryStorage withEntries() {
        MemoryStorage s = new MemoryStorage();
        s.applySnapshot(RaftTests.snapshot(3, 3, 1));
        s.append(List.of(ent(4, 4), ent(5, 5), ent(6, 6)));
        return s;
    }

    @Test
    void termAndBounds() {
        MemoryStorage s = withEntries();
        assertEquals(4, s.firstIndex());
        assertEquals(6, s.lastIndex());
        assertEquals(3, s.term(3));
        assertEquals(5, s.term(5));
        assertThrows(CompactedException.class, () -> s.term(2));
        assertThrows(UnavailableException.class, () -> s.term(7));
    }

    @Test
    void entriesRespectSizeButReturnAtLeastOne() {
        MemoryStorage s = withEntries();
        assertEquals(List.of(ent(4, 4), ent(5, 5)), s.entries(4, 6, Long.MAX_VALUE));
        assertEquals(List.of(ent(4, 4)), s.entries(4, 7, 0));
        long two = ent(4, 4).getSerializedSize() + ent(5, 5).getSerializedSize();
        assertEquals(List.of(ent(4, 4), ent(5, 5)), s.entries(4, 7, two));
        assertThrows(CompactedException.class, () -> s.entries(3, 5, Long.MAX_VALUE));
    }

    @Test
    void appendTruncatesConflictingTail() {
        MemoryStorage s = withEntries();
        s.append(List.of(ent(7, 5), ent(7, 6), ent(7, 7)));
        assertEquals(List.of(ent(4, 4), ent(7, 5), ent(7, 6), ent(7, 7)), s.entries(4, 8, Long.MAX_VALUE));
        s.append(List.of(ent(1, 2), ent(1, 3))); // entirely below the snapshot: ignored
        assertEquals(7, s.lastIndex());
        assertThrows(IllegalStateException.class, () -> s.append(List.of(ent(8, 10))));
    }

    @Test
    void compactAndSnapshot() {
        MemoryStorage s = withEntries();
        ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).build();
        var snap = s.createSnapshot(5, cs, ByteString.copyFromUtf8("state"));
        assertEquals(5, snap.getMetadata().getIndex());
        assertEquals(5, snap.getMetadata().getTerm());
        s.compact(5);
        assertEquals(6, s.firstIndex());
        assertEquals(5, s.term(5));
        assertThrows(CompactedException.class, () -> s.compact(4));
        assertThrows(SnapshotOutOfDateException.class, () -> s.createSnapshot(4, cs, ByteString.EMPTY));
        assertThrows(SnapshotOutOfDateException.class, () -> s.applySnapshot(RaftTests.snapshot(2, 2, 1)));
        assertEquals(cs, s.initialState().confState());
    }

    @Test
    void configValidatesItself() {
        SplittableRandom r = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.of(0, r));
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.of(1, r).withTicks(2, 2));
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.of(1, r).withTicks(10, 0));
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.of(1, r).withMaxInflightMsgs(0));
        assertThrows(IllegalArgumentException.class, () -> RaftConfig.of(1, r).withReadOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED));
        assertDoesNotThrow(() -> RaftConfig.of(1, r).withCheckQuorum(true).withReadOnlyOption(RaftConfig.ReadOnlyOption.LEASE_BASED));
    }
}
