package kv.wal;

import java.nio.file.Path;

/**
 * What recovery cut off the end of the log: the bytes after the last intact record of the last
 * segment, left there by writes that a crash interrupted before their fsync.
 *
 * @param file   the segment that was cut
 * @param offset where the cut starts (the end of the last intact record)
 * @param length how many bytes after {@code offset} were not zero and have been zeroed
 */
public record TornTail(Path file, long offset, long length) {
    @Override
    public String toString() {
        return "wal: cut torn tail of " + length + " bytes at offset " + offset + " of " + file;
    }
}
