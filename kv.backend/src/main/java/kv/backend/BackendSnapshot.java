package kv.backend;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The engine-neutral snapshot stream of a whole store: what a leader sends a follower that may run
 * another engine, and what {@code snapshot save} writes. Any engine's snapshot restores into any
 * other engine.
 *
 * <p>Format (all integers big-endian). A header: the magic {@code "KVBS"} and a format version
 * (int). Then a logical stream cut into chunks; each chunk is {@code int length, int
 * crc32c(payload), payload} with {@code 0 < length <= 64 KiB}, and a chunk {@code 0, 0} ends the
 * stream. The logical stream holds the source engine's name (as
 * {@link java.io.DataOutput#writeUTF}), then records, which may span chunks: a bucket start
 * ({@code 'B'}, int length, UTF-8 name), an entry of the current bucket ({@code 'E'}, int key
 * length, key, int value length, value), and one trailer ({@code 'T'}, long bucket count, long
 * entry count, int crc32c of the logical stream up to and including the {@code 'T'}). Buckets come
 * in the order {@link ReadTx#buckets()} gives and appear once; entries come in {@link Bytes#ORDER}.
 * A truncated stream, a flipped bit, a missing or reordered chunk or a count mismatch is refused
 * with {@link BackendCorruptedException}.
 *
 * <p>Memory: both directions buffer one chunk plus the entry being copied, never the store.
 * Stateless; the static methods are thread-safe (each uses only its arguments).
 */
public final class BackendSnapshot {
    /** The first four bytes of every snapshot stream. */
    public static final int MAGIC = 0x4B564253; // "KVBS"
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    static final int MAX_CHUNK = 64 * 1024;
    /** Longest bucket name a snapshot may hold, in UTF-8 bytes: a bound against corrupt lengths. */
    static final int MAX_BUCKET_NAME = 64 * 1024;
    static final byte BUCKET = 'B';
    static final byte ENTRY = 'E';
    static final byte TRAILER = 'T';

    /** Restore commits its write transaction after this many bytes of keys and values, to bound its size. */
    private static final long RESTORE_TX_BYTES = 64L * 1024 * 1024;

    private BackendSnapshot() {}

    /**
     * What a snapshot held: the engine that wrote it, its bucket and entry counts, and its payload
     * bytes (keys, values and bucket names).
     */
    public record Summary(String sourceEngine, long buckets, long entries, long payloadBytes) {
        public Summary {
            Objects.requireNonNull(sourceEngine, "sourceEngine");
        }
    }

    /**
     * Writes the whole store, as seen by one read transaction (so the snapshot is consistent), to
     * {@code out}. Does not close {@code out}; flushes it.
     *
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public static Summary write(Backend backend, OutputStream out) {
        try (ReadTx tx = backend.beginRead()) {
            return write(backend.engine(), tx, out);
        }
    }

    /**
     * Writes every bucket visible to {@code tx} to {@code out}; the caller owns and closes {@code tx}.
     * Use it when the snapshot must match state the caller read in the same transaction.
     *
     * @param sourceEngine the engine's name, recorded in the header for diagnostics
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public static Summary write(String sourceEngine, ReadTx tx, OutputStream out) {
        Objects.requireNonNull(sourceEngine, "sourceEngine");
        try {
            DataOutputStream header = new DataOutputStream(out);
            header.writeInt(MAGIC);
            header.writeInt(VERSION);
            ChunkedOutput chunks = new ChunkedOutput(out);
            DataOutputStream records = new DataOutputStream(chunks);
            records.writeUTF(sourceEngine);
            long[] counts = new long[3]; // buckets, entries, payload bytes
            for (String bucket : tx.buckets()) {
                writeBucket(tx, bucket, records, counts);
            }
            records.writeByte(TRAILER);
            int contentCrc = chunks.contentCrc();
            records.writeLong(counts[0]);
            records.writeLong(counts[1]);
            records.writeInt(contentCrc);
            chunks.finish();
            out.flush();
            return new Summary(sourceEngine, counts[0], counts[1], counts[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("backend snapshot: write failed: " + e.getMessage(), e);
        }
    }

    private static void writeBucket(ReadTx tx, String bucket, DataOutputStream records, long[] counts) throws IOException {
        byte[] name = bucket.getBytes(StandardCharsets.UTF_8);
        records.writeByte(BUCKET);
        records.writeInt(name.length);
        records.write(name);
        counts[0]++;
        counts[2] += name.length;
        try (Cursor c = tx.cursor(bucket)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                byte[] key = c.key();
                byte[] value = c.value();
                records.writeByte(ENTRY);
                records.writeInt(key.length);
                records.write(key);
                records.writeInt(value.length);
                records.write(value);
                counts[1]++;
                counts[2] += key.length + value.length;
            }
        }
    }

    /**
     * Restores a snapshot into {@code backend}, which must hold no bucket. Commits every 64 MiB of
     * payload and at the end; the last commit is {@link Durability#SYNC}. Reads {@code in} up to and
     * including the end chunk; does not close it.
     *
     * <p>When the stream turns out corrupt part way, what was already committed stays: the caller
     * discards the backend's directory.
     *
     * @throws IllegalStateException when the backend is not empty
     * @throws BackendCorruptedException when the stream is truncated, corrupt or not a snapshot
     * @throws UncheckedIOException when reading {@code in} fails
     */
    public static Summary restore(InputStream in, Backend backend) {
        try (ReadTx tx = backend.beginRead()) {
            if (!tx.buckets().isEmpty()) {
                throw new IllegalStateException("backend snapshot: restore target " + backend.directory()
                        + " is not empty (buckets " + tx.buckets() + ")");
            }
        }
        try {
            readHeader(in);
            ChunkedInput chunks = new ChunkedInput(in);
            DataInputStream records = new DataInputStream(chunks);
            String source = records.readUTF();
            return new Restore(source, chunks, records, backend).run();
        } catch (EOFException e) {
            throw new BackendCorruptedException("backend snapshot: stream is truncated", e);
        } catch (UTFDataFormatException e) {
            throw new BackendCorruptedException("backend snapshot: bad engine name", e);
        } catch (IOException e) {
            throw new UncheckedIOException("backend snapshot: read failed: " + e.getMessage(), e);
        }
    }

    private static void readHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int magic = d.readInt();
        if (magic != MAGIC) {
            throw new BackendCorruptedException(String.format(
                    "backend snapshot: bad magic 0x%08x (not a kv backend snapshot)", magic));
        }
        int version = d.readInt();
        if (version != VERSION) {
            throw new BackendCorruptedException("backend snapshot: unsupported format version " + version
                    + " (this build reads version " + VERSION + ")");
        }
    }

    /** One restore run: reads records and applies them in bounded write transactions. */
    private static final class Restore {
        private final String source;
        private final ChunkedInput chunks;
        private final DataInputStream records;
        private final Backend backend;
        private WriteTx tx;
        private String bucket;
        private byte[] lastKey;
        private long buckets;
        private long entries;
        private long payload;
        private long txBytes;

        Restore(String source, ChunkedInput chunks, DataInputStream records, Backend backend) {
            this.source = source;
            this.chunks = chunks;
            this.records = records;
            this.backend = backend;
        }

        Summary run() throws IOException {
            tx = backend.beginWrite();
            try {
                while (true) {
                    int type = records.readUnsignedByte();
                    switch (type) {
                        case BUCKET -> bucket();
                        case ENTRY -> entry();
                        case TRAILER -> {
                            trailer();
                            tx.commit(Durability.SYNC);
                            return new Summary(source, buckets, entries, payload);
                        }
                        default -> throw new BackendCorruptedException(
                                "backend snapshot: unknown record type " + type + " after " + entries + " entries");
                    }
                }
            } finally {
                tx.close();
            }
        }

        private void bucket() throws IOException {
            byte[] name = readBytes(MAX_BUCKET_NAME, "bucket name");
            bucket = new String(name, StandardCharsets.UTF_8);
            if (!tx.createBucket(bucket)) {
                throw new BackendCorruptedException("backend snapshot: bucket \"" + bucket + "\" appears twice");
            }
            lastKey = null;
            buckets++;
            payload += name.length;
        }

        private void entry() throws IOException {
            if (bucket == null) {
                throw new BackendCorruptedException("backend snapshot: entry before any bucket");
            }
            byte[] key = readBytes(Backend.MAX_KEY_SIZE, "key");
            byte[] value = readBytes(Backend.MAX_VALUE_SIZE, "value");
            if (key.length == 0 || (lastKey != null && Bytes.compare(lastKey, key) >= 0)) {
                throw new BackendCorruptedException("backend snapshot: key out of order in bucket \"" + bucket + "\" after " + entries + " entries");
            }
            lastKey = key;
            tx.put(bucket, key, value);
            entries++;
            payload += key.length + value.length;
            txBytes += key.length + value.length;
            if (txBytes >= RESTORE_TX_BYTES) {
                tx.commit(Durability.NO_SYNC);
                tx = backend.beginWrite();
                txBytes = 0;
            }
        }

        private void trailer() throws IOException {
            int expectedCrc = chunks.contentCrc();
            long b = records.readLong();
            long e = records.readLong();
            int crc = records.readInt();
            if (b != buckets || e != entries) {
                throw new BackendCorruptedException("backend snapshot: trailer counts " + b + " buckets, " + e
                        + " entries but the stream held " + buckets + " buckets, " + entries + " entries");
            }
            if (crc != expectedCrc) {
                throw new BackendCorruptedException("backend snapshot: content checksum mismatch");
            }
            chunks.expectEnd();
        }

        private byte[] readBytes(int max, String what) throws IOException {
            int n = records.readInt();
            if (n < 0 || n > max) {
                throw new BackendCorruptedException("backend snapshot: " + what + " length " + n + " out of range");
            }
            byte[] b = new byte[n];
            records.readFully(b);
            return b;
        }
    }

    /** Cuts the record stream into checksummed chunks; keeps a checksum of everything written. */
    static final class ChunkedOutput extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[MAX_CHUNK];
        private final CRC32C content = new CRC32C();
        private int len;

        ChunkedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                emit();
            }
            buf[len++] = (byte) b;
            content.update(b);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    emit();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                content.update(b, off, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        /** Checksum of every byte handed to this stream so far. */
        int contentCrc() {
            return (int) content.getValue();
        }

        /** Emits the buffered chunk, then the end chunk. */
        void finish() throws IOException {
            emit();
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(0);
            d.writeInt(0);
            d.flush();
        }

        private void emit() throws IOException {
            if (len == 0) {
                return;
            }
            CRC32C c = new CRC32C();
            c.update(buf, 0, len);
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(len);
            d.writeInt((int) c.getValue());
            out.write(buf, 0, len);
            len = 0;
        }
    }

    /** Reads checksummed chunks, verifying each before handing out its bytes; keeps a checksum of everything read. */
    static final class ChunkedInput extends InputStream {
        private final DataInputStream in;
        private final byte[] buf = new byte[MAX_CHUNK];
        private final CRC32C content = new CRC32C();
        private int pos;
        private int len;
        private long chunks;
        private boolean ended;

        ChunkedInput(InputStream in) {
            this.in = new DataInputStream(in);
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            int b = buf[pos++] & 0xff;
            content.update(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int k = Math.min(n, len - pos);
            System.arraycopy(buf, pos, b, off, k);
            content.update(b, off, k);
            pos += k;
            return k;
        }

        int contentCrc() {
            return (int) content.getValue();
        }

        /** After the trailer: the current chunk is used up and the next one is the end chunk. */
        void expectEnd() throws IOException {
            if (pos != len || fill() || !ended) {
                throw new BackendCorruptedException("backend snapshot: data after the trailer");
            }
        }

        /** Makes bytes available; false at the end chunk. */
        private boolean fill() throws IOException {
            if (pos < len) {
                return true;
            }
            if (ended) {
                return false;
            }
            int n = in.readInt();
            int crc = in.readInt();
            if (n == 0) {
                if (crc != 0) {
                    throw new BackendCorruptedException("backend snapshot: bad end chunk after chunk " + chunks);
                }
                ended = true;
                return false;
            }
            if (n < 0 || n > MAX_CHUNK) {
                throw new BackendCorruptedException("backend snapshot: chunk " + chunks + " has bad length " + n);
            }
            in.readFully(buf, 0, n);
            CRC32C c = new CRC32C();
            c.update(buf, 0, n);
            if ((int) c.getValue() != crc) {
                throw new BackendCorruptedException("backend snapshot: checksum mismatch in chunk " + chunks);
            }
            chunks++;
            pos = 0;
            len = n;
            return true;
        }
    }
}
