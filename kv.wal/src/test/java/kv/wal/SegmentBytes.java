package kv.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test access to the raw bytes of a WAL directory. */
final class SegmentBytes {
    private SegmentBytes() {}

    /** Segment files, oldest first. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
    }

    /** Offsets and types of the records of a segment, up to the end of its data. */
    static List<long[]> records(Path segment) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<long[]> out = new ArrayList<>();
        int off = 0;
        while (off + RecordCodec.HEADER <= buf.limit() && (buf.getInt(off) != 0 || buf.get(off + 4) != 0)) {
            int len = buf.getInt(off);
            out.add(new long[] {off, buf.get(off + 4), RecordCodec.size(len)});
            off += RecordCodec.size(len);
        }
        return out;
    }

    /** Snapshot of every file's bytes in {@code dir}, to prove nothing changed. */
    static List<byte[]> contents(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Path p : segments(dir)) {
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    static void flip(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5A;
        Files.write(file, b);
    }

    static void zero(Path file, long from, long to) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (long i = from; i < to; i++) {
            b[(int) i] = 0;
        }
        Files.write(file, b);
    }
}
