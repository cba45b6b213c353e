package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;

/**
 * mm/page_isolation.c: pageblocks become MIGRATE_ISOLATE so their free pages leave the allocator (ISOLATE free
 * lists, not counted as free) and pages freed into them stay there; {@code test_pages_isolated} then checks that
 * a range is entirely free. [4.4, 5.10] isolate whole pageblocks of a MAX_ORDER-aligned window; [6.1] isolates
 * the pageblocks of the range and splits free pages that straddle its two ends (isolate_single_pageblock).
 */
public final class PageIsolation {

    /** isol_flags REPORT_FAILURE ([5.10, 6.1], memory offlining); CMA passes 0. */
    public static final int REPORT_FAILURE = 0x2;

    private final PageAlloc pa;
    private final MemMap mm;
    private final KernelProfile profile;
    private final dev.dmatrace.kernel.trace.events.PageIsolation trace;
    private PageAllocContig contig;

    public PageIsolation(PageAlloc pa, dev.dmatrace.kernel.trace.events.PageIsolation trace) {
        this.pa = pa;
        this.mm = pa.mm;
        this.profile = pa.profile;
        this.trace = trace;
    }

    void setContig(PageAllocContig contig) {
        this.contig = contig;
    }

    private long pageblockStartPfn(long pfn) {
        return pfn & -(long) pa.pageblockNrPages;
    }

    /** __first_valid_page(): the first pfn_valid page of [pfn, pfn + nr), Page.NULL if none. */
    private long firstValidPage(long pfn, long nr) {
        for (long i = 0; i < nr; i++) {
            if (mm.pfnValid(pfn + i)) {
                return pfn + i;
            }
        }
        return Page.NULL;
    }

    /**
     * start_isolate_page_range(): [4.4, 5.10] both ends pageblock aligned; each pageblock isolated in turn, the first
     * failure undoes the ones before and returns -EBUSY. [6.1] the range may be unaligned: the first and last
     * pageblocks go through isolate_single_pageblock(), then the middle ones.
     */
    @KernelFunction(symbol = "start_isolate_page_range", file = "mm/page_isolation.c")
    public int startIsolatePageRange(long startPfn, long endPfn, int migratetype, int flags) {
        int nr = pa.pageblockNrPages;
        if (!profile.atLeast(KernelProfile.V6_1)) {
            if ((startPfn & (nr - 1)) != 0 || (endPfn & (nr - 1)) != 0) {
                throw new IllegalArgumentException("BUG_ON: range not pageblock aligned");
            }
            for (long pfn = startPfn; pfn < endPfn; pfn += nr) {
                long page = firstValidPage(pfn, nr);
                if (page != Page.NULL && setMigratetypeIsolate(page, migratetype, flags, startPfn, endPfn) != 0) {
                    undoIsolatePageRange(startPfn, pfn, migratetype);
                    return -Errno.EBUSY;
                }
            }
            return 0;
        }
        long isolateStart = pageblockStartPfn(startPfn);
        long isolateEnd = pageblockStartPfn(endPfn + nr - 1);
        int ret = isolateSinglePageblock(isolateStart, flags, false, false, migratetype);
        if (ret != 0) {
            return ret;
        }
        boolean skipIsolation = isolateStart == isolateEnd - nr;
        ret = isolateSinglePageblock(isolateEnd, flags, true, skipIsolation, migratetype);
        if (ret != 0) {
            unsetMigratetypeIsolate(isolateStart, migratetype);
            return ret;
        }
        for (long pfn = isolateStart + nr; pfn < isolateEnd - nr; pfn += nr) {
            long page = firstValidPage(pfn, nr);
            if (page != Page.NULL && setMigratetypeIsolate(page, migratetype, flags, startPfn, endPfn) != 0) {
                undoIsolatePageRange(isolateStart, pfn, migratetype);
                unsetMigratetypeIsolate(isolateEnd - nr, migratetype);
                return -Errno.EBUSY;
            }
        }
        return 0;
    }

    /**
     * isolate_single_pageblock() [6.1]: isolates the pageblock after (or, {@code isolateBefore}, before) the
     * boundary, then scans from the MAX_ORDER-aligned start below it so that no free page straddles the boundary:
     * such a page is split there (split_free_page). The port has no compound pages, so an in-use page never
     * straddles a pageblock boundary and the migration branch of the kernel function has nothing to do.
     */
    @KernelFunction(symbol = "isolate_single_pageblock", file = "mm/page_isolation.c", versions = {"6.1"})
    int isolateSinglePageblock(long boundaryPfn, int flags, boolean isolateBefore, boolean skipIsolation,
            int migratetype) {
        long isolatePageblock = isolateBefore ? boundaryPfn - pa.pageblockNrPages : boundaryPfn;
        Zone zone = pa.pageZone(isolatePageblock);
        long startPfn = Math.max(isolatePageblock & -(long) (1 << (PageAlloc.MAX_ORDER - 1)), zone.zoneStartPfn);
        if (!skipIsolation) {
            int ret = setMigratetypeIsolate(isolatePageblock, migratetype, flags, isolatePageblock,
                    isolatePageblock + pa.pageblockNrPages);
            if (ret != 0) {
                return ret;
            }
        }
        if (isolateBefore ? !mm.pfnValid(boundaryPfn) : !mm.pfnValid(boundaryPfn - 1)) {
            return 0;
        }
        for (long pfn = startPfn; pfn < boundaryPfn;) {
            long page = firstValidPage(pfn, boundaryPfn - pfn);
            pfn = page;
            if (mm.pageBuddy(page)) {
                int order = mm.buddyOrder(page);
                if (pfn + (1L << order) > boundaryPfn && contig.splitFreePage(page, order, boundaryPfn - pfn) != 0) {
                    continue;
                }
                pfn += 1L << order;
                continue;
            }
            pfn++;
        }
        return 0;
    }

    /**
     * set_migratetype_isolate(): under zone->lock, [5.10, 6.1] a pageblock that is already isolated belongs to
     * someone else: -EBUSY. Without unmovable pages ([6.1] only in [startPfn, endPfn)) the block becomes
     * MIGRATE_ISOLATE, its free pages move to the ISOLATE lists and leave the free counters. [4.4, 5.10] then drain
     * the pcp lists so freed pages reach the buddy lists ([6.1] alloc_contig_range drains once). A refusal with
     * REPORT_FAILURE dumps the unmovable page ([5.10, 6.1]; the port logs dump_page()'s last line).
     */
    @KernelFunction(symbol = "set_migratetype_isolate", file = "mm/page_isolation.c")
    int setMigratetypeIsolate(long page, int migratetype, int flags, long startPfn, long endPfn) {
        Zone zone = pa.pageZone(page);
        boolean isolated = false;
        long unmovable;
        zone.lock.lock();
        try {
            if (profile.atLeast(KernelProfile.V5_10) && isMigrateIsolate(mm.getPageblockMigratetype(page))) {
                return -Errno.EBUSY;
            }
            long blockStart = pageblockStartPfn(page);
            long checkStart = profile.atLeast(KernelProfile.V6_1) ? Math.max(page, startPfn) : blockStart;
            long checkEnd = profile.atLeast(KernelProfile.V6_1)
                    ? Math.min(blockStart + pa.pageblockNrPages, endPfn) : blockStart + pa.pageblockNrPages;
            unmovable = hasUnmovablePages(zone, checkStart, checkEnd, migratetype, flags);
            if (unmovable == Page.NULL) {
                int mt = mm.getPageblockMigratetype(page);
                zone.nrIsolatePageblock++;
                if (profile.atLeast(KernelProfile.V6_12)) {
                    // 6.10+: a free block reaching in from a pageblock that stays unisolated is split now, under
                    // this lock (6.1 splits it only later, in isolate_single_pageblock())
                    pa.fallback.moveFreepagesBlockIsolate(zone, page, mt, MIGRATE_ISOLATE);
                } else {
                    mm.setPageblockMigratetype(page, MIGRATE_ISOLATE);
                    int nrPages = pa.fallback.moveFreepagesBlock(zone, page, MIGRATE_ISOLATE, null);
                    zone.modZoneFreepageState(-nrPages, mt);
                }
                isolated = true;
            }
        } finally {
            zone.lock.unlock();
        }
        if (!isolated) {
            if ((flags & REPORT_FAILURE) != 0 && profile.atLeast(KernelProfile.V5_10)) {
                pa.printk.log("page dumped because: unmovable page");
            }
            return -Errno.EBUSY;
        }
        if (!profile.atLeast(KernelProfile.V6_1)) {
            pa.pcp.drainAllPages(zone);
        }
        return 0;
    }

    /**
     * has_unmovable_pages(): the first page that cannot be migrated away, or Page.NULL. [5.10, 6.1] a CMA pageblock
     * is movable only for a MIGRATE_CMA caller; reserved pages are unmovable; free blocks, unreferenced pages and
     * LRU or __PageMovable pages are movable. [4.4] ZONE_MOVABLE and MOVABLE/CMA pageblocks are movable as a whole,
     * otherwise any page in use and off the LRU is unmovable.
     */
    @KernelFunction(symbol = "has_unmovable_pages", file = "mm/page_isolation.c")
    long hasUnmovablePages(Zone zone, long startPfn, long endPfn, int migratetype, int flags) {
        int blockMt = mm.getPageblockMigratetype(startPfn);
        if (!profile.atLeast(KernelProfile.V5_10)) {
            if (zone.idx == Zone.ZONE_MOVABLE || blockMt == MIGRATE_MOVABLE || isMigrateCma(blockMt)) {
                return Page.NULL;
            }
        } else if (isMigrateCma(blockMt)) {
            return isMigrateCma(migratetype) ? Page.NULL : startPfn;
        }
        for (long pfn = startPfn; pfn < endPfn; pfn++) {
            if (!mm.pfnValid(pfn)) {
                continue;
            }
            if (mm.pageReserved(pfn)) {
                return pfn;
            }
            if (zone.idx == Zone.ZONE_MOVABLE) {
                continue;
            }
            if (mm.pageBuddy(pfn)) {
                pfn += (1L << mm.buddyOrder(pfn)) - 1;
                continue;
            }
            if (mm.pageCount(pfn) == 0) {
                continue;
            }
            if (mm.testFlag(pfn, Page.PG_LRU | Page.PG_MOVABLE)) {
                continue;
            }
            return pfn;
        }
        return Page.NULL;
    }

    /**
     * unset_migratetype_isolate(): back to {@code migratetype}. A free block of pageblock order or more at the
     * block's start whose buddy is not isolated is taken out and freed again so it can merge ([6.1]
     * __putback_isolated_page under the lock; [4.4, 5.10] __free_pages after unlocking); otherwise the block's free
     * pages move back to the type's lists and count as free again.
     */
    @KernelFunction(symbol = "unset_migratetype_isolate", file = "mm/page_isolation.c")
    void unsetMigratetypeIsolate(long page, int migratetype) {
        Zone zone = pa.pageZone(page);
        long isolatedPage = Page.NULL;
        int order = 0;
        zone.lock.lock();
        try {
            if (!isMigrateIsolate(mm.getPageblockMigratetype(page))) {
                return;
            }
            if (mm.pageBuddy(page)) {
                order = mm.buddyOrder(page);
                if (order >= pa.pageblockOrder && order < PageAlloc.MAX_ORDER - 1) {
                    long buddy = page ^ (1L << order);
                    if (mm.pfnValid(buddy) && mm.pageBuddy(buddy) && mm.buddyOrder(buddy) == order
                            && !isMigrateIsolate(mm.getPageblockMigratetype(buddy))) {
                        contig.isolateFreePage(page, order);
                        isolatedPage = page;
                    }
                }
            }
            if (isolatedPage == Page.NULL) {
                if (profile.atLeast(KernelProfile.V6_12)) {
                    // 6.10+: a free block straddling into a pageblock still isolated is split first
                    pa.fallback.moveFreepagesBlockIsolate(zone, page, MIGRATE_ISOLATE, migratetype);
                } else {
                    int nrPages = pa.fallback.moveFreepagesBlock(zone, page, migratetype, null);
                    zone.modZoneFreepageState(nrPages, migratetype);
                }
            }
            mm.setPageblockMigratetype(page, migratetype);
            if (isolatedPage != Page.NULL && profile.atLeast(KernelProfile.V6_1)) {
                pa.free.freeOnePageLocked(page, page, zone, order, migratetype, PageFree.FPI_NONE);
            }
            zone.nrIsolatePageblock--;
        } finally {
            zone.lock.unlock();
        }
        if (isolatedPage != Page.NULL && !profile.atLeast(KernelProfile.V6_1)) {
            mm.setPageCount(page, 1);
            pa.free.freePages(page, order);
        }
    }

    /**
     * undo_isolate_page_range(): every isolated pageblock of the range back to {@code migratetype} ([6.1] after
     * rounding the range out to pageblocks).
     */
    @KernelFunction(symbol = "undo_isolate_page_range", file = "mm/page_isolation.c")
    public void undoIsolatePageRange(long startPfn, long endPfn, int migratetype) {
        int nr = pa.pageblockNrPages;
        long isolateStart = pageblockStartPfn(startPfn);
        long isolateEnd = pageblockStartPfn(endPfn + nr - 1);
        for (long pfn = isolateStart; pfn < isolateEnd; pfn += nr) {
            long page = firstValidPage(pfn, nr);
            if (page != Page.NULL && isMigrateIsolate(mm.getPageblockMigratetype(page))) {
                unsetMigratetypeIsolate(page, migratetype);
            }
        }
    }

    /** __test_page_isolated_in_pageblock(): walks free blocks from {@code pfn}; returns where the walk stopped. */
    @KernelFunction(symbol = "__test_page_isolated_in_pageblock", file = "mm/page_isolation.c")
    long testPageIsolatedInPageblock(long pfn, long endPfn, int flags) {
        while (pfn < endPfn) {
            if (mm.pageBuddy(pfn)) {
                pfn += 1L << mm.buddyOrder(pfn);
            } else {
                break;
            }
        }
        return pfn;
    }

    /**
     * test_pages_isolated(): 0 when every pageblock of the range is isolated and every page is free, else -EBUSY.
     * Tracepoint: [6.1] always, with the pfn reached; [5.10] only after the pageblock check passed; [4.4] none.
     */
    @KernelFunction(symbol = "test_pages_isolated", file = "mm/page_isolation.c")
    public int testPagesIsolated(long startPfn, long endPfn, int flags) {
        long pfn;
        for (pfn = startPfn; pfn < endPfn; pfn += pa.pageblockNrPages) {
            long page = firstValidPage(pfn, pa.pageblockNrPages);
            if (page != Page.NULL && !isMigrateIsolate(mm.getPageblockMigratetype(page))) {
                break;
            }
        }
        long page = firstValidPage(startPfn, endPfn - startPfn);
        if (pfn < endPfn || page == Page.NULL) {
            if (profile.atLeast(KernelProfile.V6_1)) {
                trace.traceTestPagesIsolated(startPfn, endPfn, pfn);
            }
            return -Errno.EBUSY;
        }
        Zone zone = pa.pageZone(page);
        zone.lock.lock();
        try {
            pfn = testPageIsolatedInPageblock(startPfn, endPfn, flags);
        } finally {
            zone.lock.unlock();
        }
        if (profile.atLeast(KernelProfile.V5_10)) {
            trace.traceTestPagesIsolated(startPfn, endPfn, pfn);
        }
        return pfn < endPfn ? -Errno.EBUSY : 0;
    }
}
