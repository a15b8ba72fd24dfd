package kv.wal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import kv.raft.raftpb.Entry;
import kv.raft.raftpb.HardState;

/**
 * The framing of one record: a 12-byte header (payload length: int, type: byte, padding length:
 * byte, two zero bytes, CRC: int), the payload, and zero padding to a multiple of 8 bytes. The CRC
 * is CRC32C over the previous record's CRC, the first 8 header bytes, the payload and the padding,
 * so each record also vouches for the order of the ones before it. Big-endian throughout.
 */
final class RecordCodec {
    static final int HEADER = 12;
    static final byte CRC_CARRY = 1;
    static final byte METADATA = 2;
    static final byte ENTRY = 3;
    static final byte STATE = 4;
    static final byte SNAPSHOT = 5;
    static final byte SYNC_MARK = 6;
    static final int SYNC_MARK_PAYLOAD = 20;
    static final int SYNC_MARK_SIZE = 32;

    private RecordCodec() {}

    static int padding(int payloadLength) {
        return (8 - (HEADER + payloadLength) % 8) % 8;
    }

    static int size(int payloadLength) {
        return HEADER + payloadLength + padding(payloadLength);
    }

    /** The encoded size of a record holding {@code payloadLength} bytes. */
    static int sizeOfEntry(Entry e) {
        return size(e.getSerializedSize());
    }

    static byte type(WalRecord r) {
        return switch (r) {
            case WalRecord.CrcCarry c -> CRC_CARRY;
            case WalRecord.Metadata m -> METADATA;
            case WalRecord.EntryRecord e -> ENTRY;
            case WalRecord.State s -> STATE;
            case WalRecord.SnapshotMark s -> SNAPSHOT;
            case WalRecord.SyncMark s -> SYNC_MARK;
        };
    }

    static byte[] payload(WalRecord r) {
        return switch (r) {
            case WalRecord.CrcCarry c -> ByteBuffer.allocate(12).putInt(c.previousCrc()).putLong(c.previousEnd()).array();
            case WalRecord.Metadata m -> m.data().toByteArray();
            case WalRecord.EntryRecord e -> e.entry().toByteArray();
            case WalRecord.State s -> s.hardState().toByteArray();
            case WalRecord.SnapshotMark s -> ByteBuffer.allocate(16).putLong(s.position().index())
                    .putLong(s.position().term()).array();
            case WalRecord.SyncMark s -> ByteBuffer.allocate(SYNC_MARK_PAYLOAD).putLong(s.segmentSeq())
                    .putLong(s.offset()).putInt(s.seed()).array();
        };
    }

    /** CRC32C of {@code seed}, then {@code buf[off, off+8)} and {@code buf[off+12, off+size)}. */
    static int crc(CRC32C c, int seed, ByteBuffer buf, int off, int size) {
        c.reset();
        c.update(seed >>> 24);
        c.update(seed >>> 16);
        c.update(seed >>> 8);
        c.update(seed);
        c.update(buf.slice(off, 8));
        c.update(buf.slice(off + HEADER, size - HEADER));
        return (int) c.getValue();
    }

    /** What {@link #decode} found at an offset. */
    sealed interface Read {
        /** A record that passed every check; the next one starts {@code size} bytes further. */
        record Ok(WalRecord record, int size, int crc) implements Read {}

        /** Zeros (never written) or the end of the file: the end of the data. */
        record End() implements Read {}

        /** Bytes that are not a valid record; whether that is a torn tail or corruption is the caller's call. */
        record Bad(String why) implements Read {}
    }

    /** Decodes the record at {@code off} of {@code buf} (the whole segment) with the CRC chain at {@code seed}. */
    static Read decode(CRC32C c, ByteBuffer buf, int off, int seed) {
        int limit = buf.limit();
        if (limit - off < HEADER) {
            return allZero(buf, off, limit) ? new Read.End() : new Read.Bad("record header cut short");
        }
        int length = buf.getInt(off);
        byte type = buf.get(off + 4);
        if (length == 0 && type == 0 && allZero(buf, off, off + HEADER)) {
            return new Read.End();
        }
        int pad = buf.get(off + 5);
        if (type < CRC_CARRY || type > SYNC_MARK || length < 0 || buf.getShort(off + 6) != 0 || pad != padding(length)) {
            return new Read.Bad("invalid record header");
        }
        if (length > limit - off - HEADER - pad) {
            return new Read.Bad("record length " + length + " beyond the end of the file");
        }
        int size = size(length);
        int crc = crc(c, seed, buf, off, size);
        if (crc != buf.getInt(off + 8)) {
            return new Read.Bad("crc mismatch");
        }
        try {
            return new Read.Ok(parse(type, buf.slice(off + HEADER, length)), size, crc);
        } catch (InvalidProtocolBufferException e) {
            return new Read.Bad("undecodable record (" + e.getMessage() + ")");
        }
    }

    /** Whether a valid sync mark of segment {@code seq} written at {@code off} is there, checked on its own. */
    static boolean isSyncMark(CRC32C c, ByteBuffer buf, int off, long seq) {
        if (buf.limit() - off < SYNC_MARK_SIZE || buf.getInt(off) != SYNC_MARK_PAYLOAD || buf.get(off + 4) != SYNC_MARK) {
            return false;
        }
        int p = off + HEADER;
        int seed = buf.getInt(p + 16);
        return buf.getLong(p) == seq && buf.getLong(p + 8) == off
                && crc(c, seed, buf, off, SYNC_MARK_SIZE) == buf.getInt(off + 8);
    }

    private static WalRecord parse(byte type, ByteBuffer p) throws InvalidProtocolBufferException {
        p.order(ByteOrder.BIG_ENDIAN);
        return switch (type) {
            case CRC_CARRY -> new WalRecord.CrcCarry(p.getInt(0), p.getLong(4));
            case METADATA -> new WalRecord.Metadata(ByteString.copyFrom(p));
            case ENTRY -> new WalRecord.EntryRecord(Entry.parseFrom(p));
            case STATE -> new WalRecord.State(HardState.parseFrom(p));
            case SNAPSHOT -> new WalRecord.SnapshotMark(new SnapshotPosition(p.getLong(0), p.getLong(8)));
            case SYNC_MARK -> new WalRecord.SyncMark(p.getLong(0), p.getLong(8), p.getInt(16));
            default -> throw new IllegalStateException("unchecked record type " + type);
        };
    }

    static boolean allZero(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
