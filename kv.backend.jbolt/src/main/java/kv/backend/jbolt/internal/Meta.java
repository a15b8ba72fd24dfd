package kv.backend.jbolt.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One committed state of the file: where the bucket catalog and the free list are, how many pages
 * are in use, and the transaction id that wrote it. Stored twice (pages 0 and 1, slot
 * {@code txid % 2}) with a CRC32C so that a torn meta write leaves the other, older one in charge.
 *
 * @param pageSize the file's page size
 * @param catalog root page of the bucket catalog tree (bucket name to bucket root page)
 * @param freelist first page of the persisted free list
 * @param pageCount pages in use: the high-water mark, every page id is below it
 * @param txid the transaction that committed this state
 */
record Meta(int pageSize, long catalog, long freelist, long pageCount, long txid) {
    static final int MAGIC = 0x4A424F4C; // "JBOL"
    static final int VERSION = 1;
    /** Bytes of a meta page that are written: header plus payload. */
    static final int SIZE = Page.HEADER + 56;

    Meta {
        if (catalog < 2 || freelist < 2 || pageCount < 4 || catalog >= pageCount || freelist >= pageCount) {
            throw new IllegalArgumentException("meta out of range: " + catalog + "/" + freelist + "/" + pageCount);
        }
    }

    Meta next(long newCatalog, long newFreelist, long newPageCount) {
        return new Meta(pageSize, newCatalog, newFreelist, newPageCount, txid + 1);
    }

    int slot() {
        return (int) (txid & 1);
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot()).putInt(Page.META).putInt(0).putInt(0).putInt(0);
        b.putInt(MAGIC).putInt(VERSION).putInt(pageSize).putInt(0);
        b.putLong(catalog).putLong(freelist).putLong(pageCount).putLong(txid);
        b.putLong(checksum(b.array()));
        return b.array();
    }

    /** Decodes a meta page, or returns {@code null} when it is not a valid one (torn, zeroed, foreign). */
    static Meta decode(ByteBuffer page) {
        if (page.remaining() < SIZE) {
            return null;
        }
        byte[] raw = new byte[SIZE];
        page.duplicate().get(raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(8) != Page.META || b.getInt(Page.HEADER) != MAGIC || b.getInt(Page.HEADER + 4) != VERSION) {
            return null;
        }
        if (b.getLong(SIZE - 8) != checksum(raw)) {
            return null;
        }
        int pageSize = b.getInt(Page.HEADER + 8);
        if (!validPageSize(pageSize)) {
            return null;
        }
        try {
            return new Meta(pageSize, b.getLong(Page.HEADER + 16), b.getLong(Page.HEADER + 24),
                    b.getLong(Page.HEADER + 32), b.getLong(Page.HEADER + 40));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean validPageSize(int size) {
        return size >= 1024 && size <= 65536 && Integer.bitCount(size) == 1;
    }

    private static long checksum(byte[] raw) {
        CRC32C crc = new CRC32C();
        crc.update(raw, 0, SIZE - 8);
        return crc.getValue();
    }
}
