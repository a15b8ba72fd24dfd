package example.kv.backend.memlog;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import kv.backend.BackendCorruptedException;

/**
 * A checkpoint file: the whole content of one {@link State}, in frames of about 1 MiB, closed by an
 * end record with the counts. It is written under a temporary name, forced, and only then renamed
 * into place, so a checkpoint under its final name is always complete: any damage in it is
 * corruption, never a torn tail. Stateless.
 */
final class Checkpoint {
    private static final int FRAME_TARGET = 1 << 20;

    private Checkpoint() {}

    /** Writes {@code state} to {@code file} (created, must not exist) and forces it; returns the file's size. */
    static long write(Path file, long generation, State state) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = write(ch, Codec.header(Codec.CHECKPOINT_MAGIC, generation), 0);
            Codec.Out out = new Codec.Out();
            long buckets = 0;
            long entries = 0;
            for (Map.Entry<String, NavigableMap<byte[], byte[]>> b : state.buckets().entrySet()) {
                out.type(Codec.BUCKET).name(b.getKey());
                buckets++;
                for (Map.Entry<byte[], byte[]> e : b.getValue().entrySet()) {
                    out.type(Codec.ENTRY).bytes(e.getKey()).bytes(e.getValue());
                    entries++;
                    if (out.size() >= FRAME_TARGET) {
                        pos = write(ch, out.frame(), pos);
                        out.reset();
                    }
                }
            }
            out.type(Codec.END).writeLong(buckets).writeLong(entries);
            pos = write(ch, out.frame(), pos);
            ch.force(true);
            return pos;
        }
    }

    /** Loads the checkpoint of {@code generation} from {@code file}. */
    static State load(Path file, long generation) throws IOException {
        try (InputStream raw = Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ));
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] h = new byte[Codec.HEADER];
            in.readFully(h);
            long g = Codec.checkHeader(ByteBuffer.wrap(h), Codec.CHECKPOINT_MAGIC, file.toString());
            if (g != generation) {
                throw new BackendCorruptedException("memlog: " + file + " belongs to generation " + g + ", expected " + generation);
            }
            return new Loader(file).run(in);
        } catch (EOFException e) {
            throw new BackendCorruptedException("memlog: checkpoint " + file + " is truncated", e);
        }
    }

    /** Reads frames and rebuilds the state; checks the end record's counts. */
    private static final class Loader {
        private final Path file;
        private final Changes into = new Changes(State.EMPTY);
        private String bucket;
        private long buckets;
        private long entries;

        Loader(Path file) {
            this.file = file;
        }

        State run(DataInputStream in) throws IOException {
            for (long frame = 0; ; frame++) {
                int len = in.readInt();
                int crc = in.readInt();
                if (len <= 0) {
                    throw new BackendCorruptedException("memlog: checkpoint " + file + " frame " + frame + " has bad length " + len);
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                if (Codec.crc(payload, 0, len) != crc) {
                    throw new BackendCorruptedException("memlog: checksum mismatch in frame " + frame + " of checkpoint " + file);
                }
                if (records(new Codec.In(payload, "checkpoint " + file + " frame " + frame))) {
                    if (in.read() != -1) {
                        throw new BackendCorruptedException("memlog: data after the end of checkpoint " + file);
                    }
                    return into.freeze();
                }
            }
        }

        /** Applies one frame's records; returns whether it held the end record. */
        private boolean records(Codec.In in) {
            while (in.more()) {
                byte type = in.type();
                switch (type) {
                    case Codec.BUCKET -> {
                        bucket = in.name();
                        into.createBucket(bucket);
                        buckets++;
                    }
                    case Codec.ENTRY -> {
                        if (bucket == null) {
                            throw new BackendCorruptedException("memlog: entry before any bucket in checkpoint " + file);
                        }
                        into.put(bucket, in.bytes(), in.bytes());
                        entries++;
                    }
                    case Codec.END -> {
                        end(in.readLong(), in.readLong(), in.more());
                        return true;
                    }
                    default -> throw new BackendCorruptedException("memlog: unknown record type " + type + " in checkpoint " + file);
                }
            }
            return false;
        }

        private void end(long b, long e, boolean trailing) {
            if (b != buckets || e != entries || trailing) {
                throw new BackendCorruptedException("memlog: checkpoint " + file + " ends with counts " + b + " buckets, " + e
                        + " entries but holds " + buckets + " buckets, " + entries + " entries");
            }
        }
    }

    private static long write(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
        return p;
    }
}
