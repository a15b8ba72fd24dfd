package kv.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Frames records into one reusable direct buffer, continuing the CRC chain, so a whole batch
 * reaches the file in a single positional write. Not thread-safe; owned by one {@link Wal}.
 */
final class RecordEncoder {
    private final CRC32C crc32 = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    private int crc;

    /** Starts a new batch whose first record chains onto {@code seed}. */
    void reset(int seed) {
        buf.clear();
        crc = seed;
    }

    void append(WalRecord r) {
        byte[] payload = RecordCodec.payload(r);
        int pad = RecordCodec.padding(payload.length);
        int size = RecordCodec.HEADER + payload.length + pad;
        ensure(size);
        int off = buf.position();
        buf.putInt(payload.length).put(RecordCodec.type(r)).put((byte) pad).putShort((short) 0).putInt(0);
        buf.put(payload);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) 0);
        }
        crc = RecordCodec.crc(crc32, crc, buf, off, size);
        buf.putInt(off + 8, crc);
    }

    /** The CRC of the last record appended: the seed of the next. */
    int crc() {
        return crc;
    }

    /** Bytes framed since {@link #reset}. */
    int size() {
        return buf.position();
    }

    /** The framed batch, ready to write; valid until the next {@link #reset}. */
    ByteBuffer batch() {
        return buf.duplicate().flip();
    }

    private void ensure(int more) {
        if (buf.remaining() >= more) {
            return;
        }
        int cap = Math.max(buf.capacity() * 2, buf.position() + more);
        ByteBuffer bigger = ByteBuffer.allocateDirect(cap);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
