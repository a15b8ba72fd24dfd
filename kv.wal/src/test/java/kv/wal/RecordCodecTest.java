package kv.wal;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private final CRC32C crc = new CRC32C();

    static List<WalRecord> records() {
        return List.of(
                new WalRecord.CrcCarry(0x12345678, 4096),
                new WalRecord.Metadata(ByteString.copyFromUtf8("meta")),
                new WalRecord.Metadata(ByteString.EMPTY),
                new WalRecord.EntryRecord(Workloads.entry(7, 3, 0)),
                new WalRecord.EntryRecord(Workloads.entry(8, 3, 13)),
                new WalRecord.State(Workloads.state(3, 7)),
                new WalRecord.SnapshotMark(new SnapshotPosition(100, 4)),
                new WalRecord.SyncMark(2, 64, 0xCAFEBABE));
    }

    private static ByteBuffer encode(int seed, WalRecord... rs) {
        RecordEncoder e = new RecordEncoder();
        e.reset(seed);
        for (WalRecord r : rs) {
            e.append(r);
        }
        ByteBuffer direct = e.batch();
        ByteBuffer heap = ByteBuffer.allocate(direct.remaining());
        heap.put(direct).flip();
        return heap;
    }

    @ParameterizedTest
    @MethodSource("records")
    void roundTripsAlignedTo8Bytes(WalRecord r) {
        ByteBuffer buf = encode(99, r);
        assertEquals(0, buf.limit() % 8);
        RecordCodec.Read.Ok ok = assertInstanceOf(RecordCodec.Read.Ok.class, RecordCodec.decode(crc, buf, 0, 99));
        assertEquals(r, ok.record());
        assertEquals(buf.limit(), ok.size());
    }

    @ParameterizedTest
    @MethodSource("records")
    void everySingleByteFlipIsDetected(WalRecord r) {
        ByteBuffer clean = encode(5, r);
        for (int i = 0; i < clean.limit(); i++) {
            ByteBuffer b = ByteBuffer.allocate(clean.limit()).put(clean.duplicate()).flip();
            b.put(i, (byte) (b.get(i) ^ 0x01));
            RecordCodec.Read read = RecordCodec.decode(crc, b, 0, 5);
            assertFalse(read instanceof RecordCodec.Read.Ok, "flip at byte " + i + " of " + r + " went unnoticed");
        }
    }

    @Test
    void theChainDetectsReorderedRecords() {
        WalRecord a = new WalRecord.EntryRecord(Workloads.entry(1, 1, 40));
        WalRecord b = new WalRecord.EntryRecord(Workloads.entry(2, 1, 40));
        ByteBuffer ab = encode(0, a, b);
        int sizeA = RecordCodec.sizeOfEntry(Workloads.entry(1, 1, 40));
        ByteBuffer ba = ByteBuffer.allocate(ab.limit());
        ba.put(ab.slice(sizeA, ab.limit() - sizeA)).put(ab.slice(0, sizeA)).flip();
        assertInstanceOf(RecordCodec.Read.Bad.class, RecordCodec.decode(crc, ba, 0, 0), "b cannot come first");
        RecordCodec.Read.Ok first = (RecordCodec.Read.Ok) RecordCodec.decode(crc, ab, 0, 0);
        assertInstanceOf(RecordCodec.Read.Ok.class, RecordCodec.decode(crc, ab, sizeA, first.crc()));
        assertInstanceOf(RecordCodec.Read.Bad.class, RecordCodec.decode(crc, ab, sizeA, 0), "b chains onto a only");
    }

    @Test
    void zerosAreTheEndAndAShortTailIsBad() {
        assertInstanceOf(RecordCodec.Read.End.class, RecordCodec.decode(crc, ByteBuffer.allocate(64), 0, 0));
        assertInstanceOf(RecordCodec.Read.End.class, RecordCodec.decode(crc, ByteBuffer.allocate(8), 0, 0));
        ByteBuffer rec = encode(0, new WalRecord.EntryRecord(Workloads.entry(1, 1, 100)));
        assertInstanceOf(RecordCodec.Read.Bad.class, RecordCodec.decode(crc, rec.slice(0, rec.limit() - 8), 0, 0));
        assertInstanceOf(RecordCodec.Read.Bad.class, RecordCodec.decode(crc, rec.slice(0, 6), 0, 0));
    }

    @Test
    void syncMarksAreCheckableOnTheirOwn() {
        ByteBuffer buf = ByteBuffer.allocate(128);
        ByteBuffer mark = encode(0xABCDEF, new WalRecord.SyncMark(3, 64, 0xABCDEF));
        buf.put(64, mark, 0, mark.limit());
        assertTrue(RecordCodec.isSyncMark(crc, buf, 64, 3));
        assertFalse(RecordCodec.isSyncMark(crc, buf, 64, 4), "another segment's mark");
        assertFalse(RecordCodec.isSyncMark(crc, buf, 56, 3));
        ByteBuffer moved = ByteBuffer.allocate(128);
        moved.put(32, mark, 0, mark.limit());
        assertFalse(RecordCodec.isSyncMark(crc, moved, 32, 3), "a mark vouches only for its own offset");
    }
}
