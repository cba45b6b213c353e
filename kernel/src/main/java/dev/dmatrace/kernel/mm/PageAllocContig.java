package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;

/**
 * mm/page_alloc.c, the contiguous-range part: {@code alloc_contig_range} (isolate, migrate, check, take the free
 * pages, give back head and tail, un-isolate), {@code __alloc_contig_migrate_range}, and the free-page helpers
 * isolation uses ({@code __isolate_free_page}, [6.1] {@code split_free_page}). {@code free_contig_range} is in
 * {@link PageFree}.
 */
public final class PageAllocContig {

    private final PageAlloc pa;
    private final MemMap mm;
    private final KernelProfile profile;
    private final PageIsolation isolation;
    private final Compaction compaction;
    private final Vmscan vmscan;
    private final Migrate migrate;

    public PageAllocContig(PageAlloc pa, PageIsolation isolation, Compaction compaction, Vmscan vmscan,
            Migrate migrate) {
        this.pa = pa;
        this.mm = pa.mm;
        this.profile = pa.profile;
        this.isolation = isolation;
        this.compaction = compaction;
        this.vmscan = vmscan;
        this.migrate = migrate;
        isolation.setContig(this);
        compaction.setContig(this);
    }

    /** [4.4, 5.10] MAX_ORDER_NR_PAGES or pageblock_nr_pages, whichever is larger: the isolation window unit. */
    private long pfnMaxAlignUnit() {
        return Math.max(1L << (PageAlloc.MAX_ORDER - 1), pa.pageblockNrPages);
    }

    /**
     * alloc_contig_range(): [start, end) becomes allocated, each page with one reference. Returns 0, -EBUSY (a page
     * that cannot be isolated, migrated or freed), -EINTR or -ENOMEM. Versions: [4.4, 5.10] isolate the
     * MAX_ORDER-aligned window around the range; [6.1] isolate its pageblocks (split at the ends) and drain the pcp
     * lists once. A migration -EBUSY is final in [4.4]; [5.10, 6.1] let test_pages_isolated() decide.
     */
    @KernelFunction(symbol = "alloc_contig_range", file = "mm/page_alloc.c")
    public int allocContigRange(long start, long end, int migratetype, long gfpMask) {
        boolean v61 = profile.atLeast(KernelProfile.V6_1);
        Zone zone = pa.pageZone(start);
        CompactControl cc = new CompactControl(zone, Migrate.MIGRATE_SYNC, gfpMask);
        long unit = pfnMaxAlignUnit();
        long isoStart = v61 ? start : start & -unit;
        long isoEnd = v61 ? end : (end + unit - 1) & -unit;
        int ret = isolation.startIsolatePageRange(isoStart, isoEnd, migratetype, 0);
        if (ret != 0) {
            return ret;
        }
        try {
            if (v61) {
                pa.pcp.drainAllPages(zone);
            }
            ret = allocContigMigrateRange(cc, start, end);
            if (ret != 0 && (ret != -Errno.EBUSY || !profile.atLeast(KernelProfile.V5_10))) {
                return ret;
            }
            ret = 0;
            if (!profile.atLeast(KernelProfile.V5_10)) {
                pa.pcp.drainAllPages(zone);
            }
            long outerStart = start;
            int order = 0;
            while (!mm.pageBuddy(outerStart)) {
                if (++order >= PageAlloc.MAX_ORDER) {
                    if (!profile.atLeast(KernelProfile.V5_10)) {
                        return -Errno.EBUSY;
                    }
                    outerStart = start;
                    break;
                }
                outerStart &= ~0L << order;
            }
            if (profile.atLeast(KernelProfile.V5_10) && outerStart != start
                    && outerStart + (1L << mm.buddyOrder(outerStart)) <= start) {
                outerStart = start;
            }
            if (isolation.testPagesIsolated(outerStart, end, 0) != 0) {
                if (!v61) {
                    pa.printk.log(String.format("alloc_contig_range: [%x, %x) PFNs busy", outerStart, end));
                }
                return -Errno.EBUSY;
            }
            long outerEnd = compaction.isolateFreepagesRange(cc, outerStart, end);
            if (outerEnd == 0) {
                return -Errno.EBUSY;
            }
            if (start != outerStart) {
                pa.free.freeContigRange(outerStart, start - outerStart);
            }
            if (end != outerEnd) {
                pa.free.freeContigRange(end, outerEnd - end);
            }
            return 0;
        } finally {
            isolation.undoIsolatePageRange(isoStart, isoEnd, migratetype);
        }
    }

    /**
     * __alloc_contig_migrate_range(): batches of at most COMPACT_CLUSTER_MAX isolated pages; clean page-cache pages
     * are reclaimed, the rest migrated; a batch still not empty after 5 rounds gives -EBUSY; a fatal signal
     * -EINTR; a failed target allocation -ENOMEM ([6.1] stops at once). Leftovers go back to their owners.
     * [4.4, 5.10] isolate_migratepages_range() returns the next pfn (0 = aborted, -EINTR) and the 5-round error is
     * kept if it was already negative; [6.1] it returns an error and leaves the position in cc->migrate_pfn.
     */
    @KernelFunction(symbol = "__alloc_contig_migrate_range", file = "mm/page_alloc.c")
    int allocContigMigrateRange(CompactControl cc, long start, long end) {
        boolean v61 = profile.atLeast(KernelProfile.V6_1);
        long pfn = start;
        int tries = 0;
        int ret = 0;
        while (pfn < end || !cc.migratepages.isEmpty()) {
            if (Current.fatalSignalPending()) {
                ret = -Errno.EINTR;
                break;
            }
            if (cc.migratepages.isEmpty()) {
                cc.nrMigratepages = 0;
                ret = compaction.isolateMigratepagesRange(cc, pfn, end);
                if (ret != 0 && ret != -Errno.EAGAIN) {
                    break;
                }
                pfn = cc.migratePfn;
                tries = 0;
            } else if (++tries == 5) {
                ret = v61 ? -Errno.EBUSY : ret < 0 ? ret : -Errno.EBUSY;
                break;
            }
            int nrReclaimed = vmscan.reclaimCleanPagesFromList(cc.zone, cc.migratepages);
            cc.nrMigratepages -= nrReclaimed;
            ret = migrate.migratePages(cc.migratepages, cc.mode, migrate.contigRangeReason());
            if (v61 && ret == -Errno.ENOMEM) {
                break;
            }
        }
        if (ret < 0) {
            migrate.putbackMovablePages(cc.migratepages);
            return ret;
        }
        return 0;
    }

    /**
     * __isolate_free_page(): takes a free block off its list; outside an ISOLATE block only above the min
     * watermark, and the block leaves the free counters. A block of at least half a pageblock turns its mergeable
     * pageblocks MOVABLE ([5.10] those that are not ISOLATE, CMA or HIGHATOMIC: the same set). Caller holds
     * zone->lock. Returns the number of pages, 0 when the watermark refuses.
     */
    @KernelFunction(symbol = "__isolate_free_page", file = "mm/page_alloc.c")
    int isolateFreePage(long page, int order) {
        Zone zone = pa.pageZone(page);
        int mt = mm.getPageblockMigratetype(page);
        if (!isMigrateIsolate(mt)) {
            long watermark = zone.watermark[Zone.WMARK_MIN] + (1L << order);
            if (!pa.watermarks.zoneWatermarkOk(zone, 0, watermark, 0, AllocFlags.ALLOC_CMA, zone.nrFreePages)) {
                return 0;
            }
            zone.modZoneFreepageState(-(1L << order), mt);
        }
        zone.freeArea.delPageFromFreeList(page, order);
        if (order >= pa.pageblockOrder - 1) {
            for (long p = page; p < page + (1L << order) - 1; p += pa.pageblockNrPages) {
                if (isMergeable(mm.getPageblockMigratetype(p))) {
                    mm.setPageblockMigratetype(p, MIGRATE_MOVABLE);
                }
            }
        }
        return 1 << order;
    }

    /**
     * split_free_page() [6.1]: a free block is cut at {@code splitPfnOffset} pages into naturally aligned blocks,
     * each freed again with its own pageblock's type (so a split across an ISOLATE boundary lands on the right
     * lists). Returns -ENOENT when the block changed meanwhile, 0 otherwise.
     */
    @KernelFunction(symbol = "split_free_page", file = "mm/page_alloc.c", versions = {"6.1"})
    int splitFreePage(long freePage, int order, long splitPfnOffset) {
        if (splitPfnOffset == 0) {
            return 0;
        }
        Zone zone = pa.pageZone(freePage);
        zone.lock.lock();
        try {
            if (!mm.pageBuddy(freePage) || mm.buddyOrder(freePage) != order) {
                return -Errno.ENOENT;
            }
            int mt = mm.getPageblockMigratetype(freePage);
            if (!isMigrateIsolate(mt)) {
                zone.modZoneFreepageState(-(1L << order), mt);
            }
            zone.freeArea.delPageFromFreeList(freePage, order);
            for (long pfn = freePage; pfn < freePage + (1L << order);) {
                int pmt = mm.getPageblockMigratetype(pfn);
                int freePageOrder = (int) Math.min(pfn != 0 ? Long.numberOfTrailingZeros(pfn) : order,
                        63 - Long.numberOfLeadingZeros(splitPfnOffset));
                pa.free.freeOnePageLocked(pfn, pfn, zone, freePageOrder, pmt, PageFree.FPI_NONE);
                pfn += 1L << freePageOrder;
                splitPfnOffset -= 1L << freePageOrder;
                if (splitPfnOffset == 0) {
                    splitPfnOffset = (1L << order) - (pfn - freePage);
                }
            }
            return 0;
        } finally {
            zone.lock.unlock();
        }
    }
}
