package kv.backend.jbolt;

/**
 * Page accounting of one committed state of a jbolt file, from {@link JboltDb#stats()}.
 *
 * @param pageSize bytes per page
 * @param pageCount pages below the high-water mark (metas included)
 * @param freePages pages free for reuse now
 * @param pendingPages pages freed by recent commits that open readers may still see
 * @param fileSize bytes of the file (at least {@code pageCount * pageSize}; the map grows it ahead)
 * @param txid the id of the state
 * @param buckets number of buckets
 * @param keys number of keys over all buckets
 * @param depth the deepest tree's depth (1: a root leaf)
 * @param branchPages branch page runs
 * @param leafPages leaf page runs
 * @param overflowPages pages beyond the first of multi-page runs (large keys or values)
 * @param leafFill bytes of leaf content over bytes of leaf pages, 0 to 1
 */
public record JboltStats(int pageSize, long pageCount, long freePages, long pendingPages, long fileSize, long txid,
        int buckets, long keys, int depth, long branchPages, long leafPages, long overflowPages, double leafFill) {}
