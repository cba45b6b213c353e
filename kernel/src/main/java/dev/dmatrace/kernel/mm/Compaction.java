package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.sched.Current;

/**
 * mm/compaction.c, the two scanners alloc_contig_range() borrows: {@code isolate_migratepages_range} (pages in
 * use to migrate, in batches of COMPACT_CLUSTER_MAX) and {@code isolate_freepages_range} (strict: every page
 * must be free).
 */
public final class Compaction {

    /** COMPACT_CLUSTER_MAX = SWAP_CLUSTER_MAX. */
    public static final int COMPACT_CLUSTER_MAX = 32;

    private final PageAlloc pa;
    private final MemMap mm;
    private final PageUsers users;
    private PageAllocContig contig;

    public Compaction(PageAlloc pa, PageUsers users) {
        this.pa = pa;
        this.mm = pa.mm;
        this.users = users;
    }

    void setContig(PageAllocContig contig) {
        this.contig = contig;
    }

    /**
     * isolate_migratepages_range(): pageblock by pageblock until the end or a full batch. [6.1] returns 0 or an
     * error and leaves the position in cc->migrate_pfn; [4.4, 5.10] return the next pfn, 0 when aborted by a fatal
     * signal, which the port maps to the same two outcomes (position in migrate_pfn, -EINTR).
     */
    @KernelFunction(symbol = "isolate_migratepages_range", file = "mm/compaction.c")
    int isolateMigratepagesRange(CompactControl cc, long startPfn, long endPfn) {
        int ret = 0;
        long pfn = startPfn;
        long blockEndPfn = (pfn & -(long) pa.pageblockNrPages) + pa.pageblockNrPages;
        for (; pfn < endPfn; pfn = blockEndPfn, blockEndPfn += pa.pageblockNrPages) {
            blockEndPfn = Math.min(blockEndPfn, endPfn);
            ret = isolateMigratepagesBlock(cc, pfn, blockEndPfn);
            if (ret != 0 || cc.nrMigratepages >= COMPACT_CLUSTER_MAX) {
                break;
            }
        }
        return ret;
    }

    /**
     * isolate_migratepages_block(): skips free blocks; takes LRU pages (and __PageMovable ones) off the LRU with an
     * extra reference. Pages off the LRU (kernel pages, held pages) are left where they are, and so is an anonymous
     * page with more references than mappings (pinned: migration would fail anyway). Stops after a full batch.
     */
    @KernelFunction(symbol = "isolate_migratepages_block", file = "mm/compaction.c")
    int isolateMigratepagesBlock(CompactControl cc, long lowPfn, long endPfn) {
        for (; lowPfn < endPfn; lowPfn++) {
            if (Current.fatalSignalPending()) {
                cc.migratePfn = lowPfn;
                return -Errno.EINTR;
            }
            if (!mm.pfnValid(lowPfn)) {
                continue;
            }
            if (mm.pageBuddy(lowPfn)) {
                int order = mm.buddyOrder(lowPfn);
                lowPfn += (1L << order) - 1;
                continue;
            }
            if (!mm.testFlag(lowPfn, Page.PG_LRU | Page.PG_MOVABLE)) {
                continue;
            }
            if (mm.owner(lowPfn) == Page.OWNER_ANON && mm.pageCount(lowPfn) > mm.mapcount(lowPfn)) {
                users.pinnedPageSeen(lowPfn);
                continue;
            }
            mm.setPageCount(lowPfn, mm.pageCount(lowPfn) + 1);
            mm.clearFlag(lowPfn, Page.PG_LRU);
            cc.migratepages.add(lowPfn);
            cc.nrMigratepages++;
            if (cc.nrMigratepages >= COMPACT_CLUSTER_MAX) {
                lowPfn++;
                break;
            }
        }
        cc.migratePfn = lowPfn;
        return 0;
    }

    /**
     * isolate_freepages_range(): strict isolation of every free block in [startPfn, endPfn), block by block under
     * zone->lock; the blocks are split into order-0 pages with one reference each. Returns the pfn after the last
     * isolated page (possibly past endPfn), or 0 when a page was not free (what was taken is released).
     */
    @KernelFunction(symbol = "isolate_freepages_range", file = "mm/compaction.c")
    long isolateFreepagesRange(CompactControl cc, long startPfn, long endPfn) {
        long pfn = startPfn;
        long blockEndPfn = (pfn & -(long) pa.pageblockNrPages) + pa.pageblockNrPages;
        java.util.List<long[]> freelist = new java.util.ArrayList<>();
        long isolated;
        for (; pfn < endPfn; pfn += isolated, blockEndPfn += pa.pageblockNrPages) {
            blockEndPfn = Math.min(blockEndPfn, endPfn);
            if (pfn >= blockEndPfn) {
                blockEndPfn = Math.min((pfn & -(long) pa.pageblockNrPages) + pa.pageblockNrPages, endPfn);
            }
            isolated = isolateFreepagesBlock(cc, pfn, blockEndPfn, freelist);
            if (isolated == 0) {
                break;
            }
        }
        splitMapPages(freelist);
        if (pfn < endPfn) {
            for (long[] f : freelist) {
                for (long p = f[0]; p < f[0] + (1L << f[1]); p++) {
                    pa.free.freePage(p);
                }
            }
            return 0;
        }
        return pfn;
    }

    /**
     * isolate_freepages_block() in strict mode: every page from {@code startPfn} to {@code endPfn} must belong to a
     * free block; returns the number of pages isolated (a block may reach past endPfn), 0 on the first page in use.
     */
    @KernelFunction(symbol = "isolate_freepages_block", file = "mm/compaction.c")
    long isolateFreepagesBlock(CompactControl cc, long startPfn, long endPfn, java.util.List<long[]> freelist) {
        long total = 0;
        long blockPfn = startPfn;
        cc.zone.lock.lock();
        try {
            while (blockPfn < endPfn) {
                if (!mm.pageBuddy(blockPfn)) {
                    break;
                }
                int order = mm.buddyOrder(blockPfn);
                int isolated = contig.isolateFreePage(blockPfn, order);
                if (isolated == 0) {
                    break;
                }
                freelist.add(new long[] {blockPfn, order});
                total += isolated;
                blockPfn += isolated;
            }
        } finally {
            cc.zone.lock.unlock();
        }
        if (blockPfn < endPfn) {
            // strict: the caller releases what this block got along with the rest
            return 0;
        }
        return total;
    }

    /** split_map_pages(): post_alloc_hook + split_page() on every isolated block. */
    @KernelFunction(symbol = "split_map_pages", file = "mm/compaction.c")
    void splitMapPages(java.util.List<long[]> freelist) {
        for (long[] f : freelist) {
            mm.setPageCount(f[0], 1);
            mm.setOwner(f[0], Page.OWNER_KERNEL);
            pa.free.splitPage(f[0], (int) f[1]);
        }
    }
}
