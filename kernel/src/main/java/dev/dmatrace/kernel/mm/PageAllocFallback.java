package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.AllocFlags.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFunction;

/**
 * mm/page_alloc.c, the anti-fragmentation side of allocation: the {@code fallbacks[]} table,
 * {@code __rmqueue_fallback} (5.10/6.1 and the 4.4 form), {@code find_suitable_fallback},
 * {@code can_steal_fallback}, {@code steal_suitable_fallback}, {@code move_freepages_block},
 * {@code boost_watermark} and {@code reserve_highatomic_pageblock}. Callers hold zone->lock.
 */
public final class PageAllocFallback {

    /**
     * fallbacks[MIGRATE_TYPES][]: the same useful rows in 4.4 (width 4, CMA/ISOLATE rows "never used") and
     * 5.10/6.1 (width 3); CMA, HIGHATOMIC and ISOLATE are never fallback sources.
     */
    private static final int[][] FALLBACKS = {
        {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},
        {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},
        {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},
    };

    /** watermark_boost_factor default (mm/page_alloc.c). */
    static final int WATERMARK_BOOST_FACTOR = 15000;

    private final PageAlloc pa;
    private final MemMap mm;

    PageAllocFallback(PageAlloc pa) {
        this.pa = pa;
        this.mm = pa.mm;
    }

    /**
     * __rmqueue_fallback() [5.10, 6.1]: the largest block on a fallback list (not below pageblock_order with
     * ALLOC_NOFRAGMENT); a MOVABLE request that may not steal the whole block takes the smallest instead. The
     * block is moved to the requested type's list (maybe with its whole pageblock) for __rmqueue_smallest() to
     * find; returns whether something was moved.
     */
    @KernelFunction(symbol = "__rmqueue_fallback", file = "mm/page_alloc.c", versions = {"5.10", "6.1"})
    boolean rmqueueFallback(Zone zone, int order, int startMigratetype, int allocFlags) {
        int minOrder = order;
        if (order < pa.pageblockOrder && (allocFlags & ALLOC_NOFRAGMENT) != 0) {
            minOrder = pa.pageblockOrder;
        }
        FreeArea area = zone.freeArea;
        boolean[] canSteal = new boolean[1];
        int currentOrder;
        int fallbackMt = -1;
        for (currentOrder = PageAlloc.MAX_ORDER - 1; currentOrder >= minOrder; --currentOrder) {
            fallbackMt = findSuitableFallback(area, currentOrder, startMigratetype, false, canSteal);
            if (fallbackMt != -1) {
                break;
            }
        }
        if (fallbackMt == -1) {
            return false;
        }
        if (!canSteal[0] && startMigratetype == MIGRATE_MOVABLE && currentOrder > order) {
            // find_smallest:
            for (currentOrder = order; currentOrder < PageAlloc.MAX_ORDER; currentOrder++) {
                fallbackMt = findSuitableFallback(area, currentOrder, startMigratetype, false, canSteal);
                if (fallbackMt != -1) {
                    break;
                }
            }
        }
        long page = area.getPageFromFreeArea(currentOrder, fallbackMt);
        stealSuitableFallback(zone, page, allocFlags, startMigratetype, canSteal[0]);
        traceExtfrag(page, order, currentOrder, startMigratetype, fallbackMt);
        return true;
    }

    /**
     * __rmqueue_fallback() [4.4]: the largest block on a fallback list; if it may be stolen, the pageblock's free
     * pages move (and the block is claimed when half of it is free); the block is then taken and expanded onto
     * the requested type's lists right here.
     */
    @KernelFunction(symbol = "__rmqueue_fallback", file = "mm/page_alloc.c", versions = {"4.4"})
    long rmqueueFallback44(Zone zone, int order, int startMigratetype) {
        FreeArea area = zone.freeArea;
        boolean[] canSteal = new boolean[1];
        for (int currentOrder = PageAlloc.MAX_ORDER - 1; currentOrder >= order; --currentOrder) {
            int fallbackMt = findSuitableFallback(area, currentOrder, startMigratetype, false, canSteal);
            if (fallbackMt == -1) {
                continue;
            }
            long page = area.getPageFromFreeArea(currentOrder, fallbackMt);
            if (canSteal[0]) {
                stealSuitableFallback44(zone, page, startMigratetype);
            }
            area.delPageFromFreeList(page, currentOrder);
            pa.expand(zone, page, order, currentOrder, startMigratetype);
            mm.setPcppageMigratetype(page, startMigratetype);
            traceExtfrag(page, order, currentOrder, startMigratetype, fallbackMt);
            return page;
        }
        return Page.NULL;
    }

    /** mm_page_alloc_extfrag with the TP_fast_assign's derived fields. */
    private void traceExtfrag(long page, int allocOrder, int fallbackOrder, int startMt, int fallbackMt) {
        int changeOwnership = startMt == mm.getPageblockMigratetype(page) ? 1 : 0;
        int fragmenting = fallbackOrder < pa.pageblockOrder ? 1 : 0;
        pa.kmem.traceMmPageAllocExtfrag(page, allocOrder, fallbackOrder, startMt, fallbackMt, fragmenting,
                changeOwnership);
    }

    /**
     * find_suitable_fallback(): the first fallback type with a free block of this order; {@code canSteal[0]}
     * says whether the whole pageblock may be taken. -1 when none (or nr_free is 0).
     */
    @KernelFunction(symbol = "find_suitable_fallback", file = "mm/page_alloc.c")
    public int findSuitableFallback(FreeArea area, int order, int migratetype, boolean onlyStealable,
            boolean[] canSteal) {
        if (area.nrFree(order) == 0) {
            return -1;
        }
        canSteal[0] = false;
        for (int fallbackMt : FALLBACKS[migratetype]) {
            if (area.freeAreaEmpty(order, fallbackMt)) {
                continue;
            }
            if (canStealFallback(order, migratetype)) {
                canSteal[0] = true;
            }
            if (!onlyStealable || canSteal[0]) {
                return fallbackMt;
            }
        }
        return -1;
    }

    /**
     * can_steal_fallback(): whole pageblocks (order >= pageblock_order), large blocks (>= pageblock_order / 2),
     * and every RECLAIMABLE or UNMOVABLE request may steal; so may anything when mobility grouping is off.
     */
    @KernelFunction(symbol = "can_steal_fallback", file = "mm/page_alloc.c")
    public boolean canStealFallback(int order, int startMt) {
        if (order >= pa.pageblockOrder) {
            return true;
        }
        return order >= pa.pageblockOrder / 2 || startMt == MIGRATE_RECLAIMABLE || startMt == MIGRATE_UNMOVABLE
                || pa.pageGroupByMobilityDisabled;
    }

    /**
     * steal_suitable_fallback() [5.10, 6.1]: HIGHATOMIC blocks give only this page; a block of pageblock order
     * or more changes the type of all its pageblocks; otherwise boost the watermark and, if allowed, move the
     * pageblock's free pages and claim it when free + alike pages are at least half of it.
     */
    @KernelFunction(symbol = "steal_suitable_fallback", file = "mm/page_alloc.c", versions = {"5.10", "6.1"})
    void stealSuitableFallback(Zone zone, long page, int allocFlags, int startType, boolean wholeBlock) {
        int currentOrder = mm.buddyOrder(page);
        int oldBlockType = mm.getPageblockMigratetype(page);
        if (isMigrateHighatomic(oldBlockType)) {
            moveSinglePage(zone, page, currentOrder, startType);
            return;
        }
        if (currentOrder >= pa.pageblockOrder) {
            changePageblockRange(page, currentOrder, startType);
            moveSinglePage(zone, page, currentOrder, startType);
            return;
        }
        if (boostWatermark(zone) && (allocFlags & ALLOC_KSWAPD) != 0) {
            zone.boostedWatermark = true;
        }
        if (!wholeBlock) {
            moveSinglePage(zone, page, currentOrder, startType);
            return;
        }
        int[] movablePages = new int[1];
        int freePages = moveFreepagesBlock(zone, page, startType, movablePages);
        int alikePages;
        if (startType == MIGRATE_MOVABLE) {
            alikePages = movablePages[0];
        } else if (oldBlockType == MIGRATE_MOVABLE) {
            alikePages = pa.pageblockNrPages - (freePages + movablePages[0]);
        } else {
            alikePages = 0;
        }
        if (freePages == 0) {
            moveSinglePage(zone, page, currentOrder, startType);
            return;
        }
        if (freePages + alikePages >= (1 << (pa.pageblockOrder - 1)) || pa.pageGroupByMobilityDisabled) {
            mm.setPageblockMigratetype(page, startType);
        }
    }

    /** The single_page: label: move_to_free_list(page, zone, current_order, start_type). */
    private void moveSinglePage(Zone zone, long page, int currentOrder, int startType) {
        zone.freeArea.moveToFreeList(page, currentOrder, startType, pa.profile.moveFreepagesToTail());
    }

    /** steal_suitable_fallback() [4.4]: whole block, or move the block's free pages and claim it if half is free. */
    @KernelFunction(symbol = "steal_suitable_fallback", file = "mm/page_alloc.c", versions = {"4.4"})
    void stealSuitableFallback44(Zone zone, long page, int startType) {
        int currentOrder = mm.buddyOrder(page);
        if (currentOrder >= pa.pageblockOrder) {
            changePageblockRange(page, currentOrder, startType);
            return;
        }
        int pages = moveFreepagesBlock(zone, page, startType, null);
        if (pages >= (1 << (pa.pageblockOrder - 1)) || pa.pageGroupByMobilityDisabled) {
            mm.setPageblockMigratetype(page, startType);
        }
    }

    /** change_pageblock_range(): every pageblock a block of {@code startOrder} covers. */
    private void changePageblockRange(long pageblockPage, int startOrder, int migratetype) {
        int nrPageblocks = 1 << (startOrder - pa.pageblockOrder);
        while (nrPageblocks-- > 0) {
            mm.setPageblockMigratetype(pageblockPage, migratetype);
            pageblockPage += pa.pageblockNrPages;
        }
    }

    /**
     * boost_watermark() [5.0+]: raise zone->watermark_boost by a pageblock, up to watermark_boost_factor of the
     * high watermark; not on small zones or before the watermarks exist.
     */
    @KernelFunction(symbol = "boost_watermark", file = "mm/page_alloc.c", versions = {"5.10", "6.1"})
    boolean boostWatermark(Zone zone) {
        if (!pa.profile.hasWatermarkBoost()) {
            return false;
        }
        if ((long) pa.pageblockNrPages * 4 > zone.managedPages) {
            return false;
        }
        long maxBoost = zone.watermark[Zone.WMARK_HIGH] * WATERMARK_BOOST_FACTOR / 10000;
        if (maxBoost == 0) {
            return false;
        }
        maxBoost = Math.max(pa.pageblockNrPages, maxBoost);
        zone.watermarkBoost = Math.min(zone.watermarkBoost + pa.pageblockNrPages, maxBoost);
        return true;
    }

    /**
     * move_freepages_block(): the free blocks of the pageblock around {@code page} go to {@code migratetype}'s
     * lists (not across the zone's ends); counts pages on the LRU or __PageMovable in {@code numMovable[0]}.
     * Returns the number of free pages moved.
     */
    @KernelFunction(symbol = "move_freepages_block", file = "mm/page_alloc.c")
    public int moveFreepagesBlock(Zone zone, long page, int migratetype, int[] numMovable) {
        if (numMovable != null) {
            numMovable[0] = 0;
        }
        long startPfn = page & ~((long) pa.pageblockNrPages - 1);
        long endPfn = startPfn + pa.pageblockNrPages - 1;
        if (!zone.spansPfn(startPfn)) {
            startPfn = page;
        }
        if (!zone.spansPfn(endPfn)) {
            return 0;
        }
        return moveFreepages(zone, startPfn, endPfn, migratetype, numMovable);
    }

    /**
     * find_large_buddy() (6.10+): the head of a free block that starts before
     * {@code startPfn} and reaches into it, else {@code startPfn}. Caller holds zone->lock.
     */
    @KernelFunction(symbol = "find_large_buddy", file = "mm/page_alloc.c", versions = {"6.12"})
    long findLargeBuddy(Zone zone, long startPfn) {
        int order = 0;
        long pfn = startPfn;
        while (!mm.pageBuddy(pfn)) {
            if (++order > PageAlloc.MAX_ORDER - 1) {
                return startPfn;
            }
            pfn &= ~0L << order;
            if (!zone.spansPfn(pfn) || !mm.pfnValid(pfn)) {
                return startPfn;
            }
        }
        if (pfn + (1L << mm.buddyOrder(pfn)) > startPfn) {
            return pfn;
        }
        return startPfn;
    }

    /**
     * move_freepages_block() as set_migratetype_isolate() and unset_migratetype_isolate() use it: the pageblock
     * becomes {@code migratetype}, its free pages move to that type's lists, and the free counters follow
     * ({@code oldMigratetype} and {@code migratetype} counted unless ISOLATE).
     *
     * <p>The 6.12 profile's: the part of 6.10's move_freepages_block_isolate() (Johannes Weiner, "mm:
     * page_isolation: prepare for hygienic freelists", fd919a85cd55) that 4.4, 5.10 and 6.1 lack, whose
     * accounting race they keep: a free block larger than a pageblock
     * (MAX_ORDER - 1 = pageblock_order + 1 on arm64 4K) that straddles this pageblock and a neighbour is moved
     * whole there, onto the lists of whichever pageblock holds its head, while the neighbour keeps its type.
     * Between two zone->lock holds such a block is then half CMA, half ISOLATE, and an allocation on another cpu
     * can expand() it, leaving the ISOLATE half on the CMA lists, counted as free; a later move of that pageblock
     * (unset_migratetype_isolate) or __isolate_free_page() counts those pages a second time, and NR_FREE_PAGES /
     * NR_FREE_CMA_PAGES drift by them. Two windows open it: undo_isolate_page_range() un-isolating the first of
     * the two pageblocks ([5.10, 6.1]), and [6.1] isolate_single_pageblock() between set_migratetype_isolate() of
     * a tail pageblock and split_free_page(). Here, as in 6.10, such a block is taken off its list under the
     * same lock and freed back one pageblock at a time with each pageblock's own type (split_large_buddy) when
     * its pageblocks would otherwise end up differing in isolation; otherwise the 6.1 move is kept as it is.
     * Caller holds zone->lock.
     */
    @KernelFunction(symbol = "move_freepages_block_isolate", file = "mm/page_alloc.c", versions = {"6.12"})
    void moveFreepagesBlockIsolate(Zone zone, long page, int oldMigratetype, int migratetype) {
        long startPfn = page & ~((long) pa.pageblockNrPages - 1);
        long endPfn = startPfn + pa.pageblockNrPages - 1;
        if (!zone.spansPfn(startPfn)) {
            startPfn = page;
        }
        if (!zone.spansPfn(endPfn)) {
            mm.setPageblockMigratetype(page, migratetype);
            return;
        }
        boolean toIsolate = isMigrateIsolate(migratetype);
        // we're a tail pageblock of a larger free block whose head's pageblock is (not) isolated
        long buddy = findLargeBuddy(zone, startPfn);
        if (buddy != startPfn && isMigrateIsolate(mm.getPageblockMigratetype(buddy)) != toIsolate) {
            int order = mm.buddyOrder(buddy);
            int mt = mm.getPageblockMigratetype(buddy);
            if (!isMigrateIsolate(mt)) {
                zone.modZoneFreepageState(-(1L << order), mt);
            }
            zone.freeArea.delPageFromFreeList(buddy, order);
            mm.setPageblockMigratetype(page, migratetype);
            pa.free.splitLargeBuddy(zone, buddy, order);
            return;
        }
        // we're the first pageblock of a larger free block reaching into a pageblock that stays isolated
        if (!toIsolate && mm.pageBuddy(startPfn) && mm.buddyOrder(startPfn) > pa.pageblockOrder
                && anyPageblockIsolated(startPfn + pa.pageblockNrPages, startPfn + (1L << mm.buddyOrder(startPfn)))) {
            int order = mm.buddyOrder(startPfn);
            if (!isMigrateIsolate(oldMigratetype)) {
                zone.modZoneFreepageState(-(1L << order), oldMigratetype);
            }
            zone.freeArea.delPageFromFreeList(startPfn, order);
            mm.setPageblockMigratetype(page, migratetype);
            pa.free.splitLargeBuddy(zone, startPfn, order);
            return;
        }
        mm.setPageblockMigratetype(page, migratetype);
        int nrPages = moveFreepages(zone, startPfn, endPfn, migratetype, null);
        if (!isMigrateIsolate(oldMigratetype)) {
            zone.modZoneFreepageState(-nrPages, oldMigratetype);
        }
        if (!toIsolate) {
            zone.modZoneFreepageState(nrPages, migratetype);
        }
    }

    private boolean anyPageblockIsolated(long startPfn, long endPfn) {
        for (long pfn = startPfn; pfn < endPfn; pfn += pa.pageblockNrPages) {
            if (isMigrateIsolate(mm.getPageblockMigratetype(pfn))) {
                return true;
            }
        }
        return false;
    }

    /** move_freepages(): walks the range block by block. */
    @KernelFunction(symbol = "move_freepages", file = "mm/page_alloc.c")
    int moveFreepages(Zone zone, long startPfn, long endPfn, int migratetype, int[] numMovable) {
        int pagesMoved = 0;
        boolean tail = pa.profile.moveFreepagesToTail();
        for (long pfn = startPfn; pfn <= endPfn;) {
            if (!mm.pageBuddy(pfn)) {
                if (numMovable != null && mm.testFlag(pfn, Page.PG_LRU | Page.PG_MOVABLE)) {
                    numMovable[0]++;
                }
                pfn++;
                continue;
            }
            int order = mm.buddyOrder(pfn);
            zone.freeArea.moveToFreeList(pfn, order, migratetype, tail);
            pfn += 1L << order;
            pagesMoved += 1 << order;
        }
        return pagesMoved;
    }

    /**
     * reserve_highatomic_pageblock(): after a high-order atomic allocation, turn its pageblock into a HIGHATOMIC
     * reserve, up to about 1% of the zone plus one pageblock; only ordinary (mergeable) pageblocks.
     */
    @KernelFunction(symbol = "reserve_highatomic_pageblock", file = "mm/page_alloc.c")
    void reserveHighatomicPageblock(long page, Zone zone) {
        long maxManaged = zone.managedPages / 100 + pa.pageblockNrPages;
        if (zone.nrReservedHighatomic >= maxManaged) {
            return;
        }
        zone.lock.lock();
        try {
            if (zone.nrReservedHighatomic >= maxManaged) {
                return;
            }
            int mt = mm.getPageblockMigratetype(page);
            if (isMergeable(mt)) {
                zone.nrReservedHighatomic += pa.pageblockNrPages;
                mm.setPageblockMigratetype(page, MIGRATE_HIGHATOMIC);
                moveFreepagesBlock(zone, page, MIGRATE_HIGHATOMIC, null);
            }
        } finally {
            zone.lock.unlock();
        }
    }
}
