package kv.wal;

import java.util.HexFormat;
import java.util.Optional;

/**
 * A segment's file name: {@code <seq>-<firstIndex>.wal}, both 16 hex digits. {@code seq} counts
 * segments from 1 without gaps; {@code firstIndex} is one past the last entry index written before
 * the segment was started, so no entry above {@code firstIndex - 1} lives in an earlier segment.
 */
record SegmentName(long seq, long firstIndex) implements Comparable<SegmentName> {
    static final String SUFFIX = ".wal";

    static Optional<SegmentName> parse(String name) {
        if (name.length() != 16 + 1 + 16 + SUFFIX.length() || !name.endsWith(SUFFIX) || name.charAt(16) != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(new SegmentName(HexFormat.fromHexDigitsToLong(name, 0, 16),
                    HexFormat.fromHexDigitsToLong(name, 17, 33)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String fileName() {
        HexFormat h = HexFormat.of();
        return h.toHexDigits(seq) + "-" + h.toHexDigits(firstIndex) + SUFFIX;
    }

    @Override
    public int compareTo(SegmentName o) {
        return Long.compareUnsigned(seq, o.seq);
    }
}
