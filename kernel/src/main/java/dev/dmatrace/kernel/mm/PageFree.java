package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;

/**
 * mm/page_alloc.c, the free side: {@code __free_pages} to {@code __free_one_page} with merging, the boot-time
 * {@code __free_pages_core}, {@code init_cma_reserved_pageblock}, {@code split_page} and
 * {@code free_contig_range}. The pcp half of freeing is in {@link Pcp}.
 */
public final class PageFree {

    /** fpi_t: FPI_NONE and FPI_TO_TAIL (5.10+). */
    public static final int FPI_NONE = 0;
    public static final int FPI_TO_TAIL = 1 << 1;

    private final PageAlloc pa;
    private final MemMap mm;

    PageFree(PageAlloc pa) {
        this.pa = pa;
        this.mm = pa.mm;
    }

    /**
     * __free_pages(): drop the head's reference; the last one frees the block. [5.10, 6.1] When someone else
     * still holds the head of a non-compound block, the tail halves are freed now (the "page + (1 << order)" loop).
     */
    @KernelFunction(symbol = "__free_pages", file = "mm/page_alloc.c")
    public void freePages(long page, int order) {
        int count = mm.pageCount(page) - 1;
        mm.setPageCount(page, count);
        if (count == 0) {
            freeThePage(page, order);
        } else if (pa.profile.atLeast(KernelProfile.V5_10)) {
            while (order-- > 0) {
                freeThePage(page + (1L << order), order);
            }
        }
    }

    /** __free_page(page). */
    public void freePage(long page) {
        freePages(page, 0);
    }

    /** free_the_page(): pcp for the orders the pcp lists hold, else __free_pages_ok(). */
    @KernelFunction(symbol = "free_the_page", file = "mm/page_alloc.c")
    void freeThePage(long page, int order) {
        if (pa.profile.pcpAllowedOrder(order)) {
            pa.pcp.freeUnrefPage(page, order);
        } else {
            freePagesOk(page, order, FPI_NONE);
        }
    }

    /**
     * free_pages_prepare(): fires mm_page_free, refuses a bad page (one still mapped, or already free) with the
     * kernel's "Bad page state" report, and resets the struct pages of the block.
     */
    @KernelFunction(symbol = "free_pages_prepare", file = "mm/page_alloc.c")
    boolean freePagesPrepare(long page, int order) {
        pa.kmem.traceMmPageFree(page, order);
        long end = page + (1L << order);
        for (long pfn = page; pfn < end; pfn++) {
            if (mm.pageBuddy(pfn) || mm.mapcount(pfn) != 0 || mm.pageCount(pfn) != 0) {
                badPage(pfn, mm.pageBuddy(pfn) ? "PageBuddy" : mm.mapcount(pfn) != 0 ? "nonzero mapcount"
                        : "nonzero _refcount");
                return false;
            }
        }
        for (long pfn = page; pfn < end; pfn++) {
            int i = mm.idx(pfn);
            mm.flags[i] &= Page.PG_NOMAP | Page.PG_RESERVED;
            mm.owner[i] = Page.OWNER_FREE;
            mm.content[i] = 0;
        }
        return true;
    }

    /** bad_page(): the report's first lines; the page is leaked, as the kernel does. */
    private void badPage(long pfn, String reason) {
        pa.printk.log(String.format("BUG: Bad page state in process %s  pfn:%05x", Current.comm(), pfn));
        pa.printk.log("page dumped because: " + reason);
    }

    /** __free_pages_ok(): straight to the buddy lists under zone->lock. */
    @KernelFunction(symbol = "__free_pages_ok", file = "mm/page_alloc.c")
    void freePagesOk(long page, int order, int fpiFlags) {
        if (!freePagesPrepare(page, order)) {
            return;
        }
        int migratetype = mm.getPageblockMigratetype(page);
        Zone zone = pa.pageZone(page);
        zone.lock.lock();
        try {
            if (zone.hasIsolatePageblock() || isMigrateIsolate(migratetype)) {
                migratetype = mm.getPageblockMigratetype(page);
            }
            freeOnePageOrSplit(zone, page, order, migratetype, fpiFlags);
        } finally {
            zone.lock.unlock();
        }
        pa.vmEvents.count(Current.smpProcessorId(), VmEvents.PGFREE, 1L << order);
    }

    /** free_one_page(): takes zone->lock, rereads the pageblock type when isolation is in play. */
    @KernelFunction(symbol = "free_one_page", file = "mm/page_alloc.c")
    void freeOnePage(Zone zone, long page, int order, int migratetype, int fpiFlags) {
        zone.lock.lock();
        try {
            if (zone.hasIsolatePageblock() || isMigrateIsolate(migratetype)) {
                migratetype = mm.getPageblockMigratetype(page);
            }
            freeOnePageOrSplit(zone, page, order, migratetype, fpiFlags);
        } finally {
            zone.lock.unlock();
        }
    }

    /**
     * The body of free_one_page() under zone->lock. 4.4, 5.10 and 6.1 free the whole block with the head
     * pageblock's type; a block larger than a pageblock that covers both an isolated and a non-isolated pageblock
     * (isolation being undone one pageblock at a time on another cpu) then puts the isolated half on a counted
     * list, and unset_migratetype_isolate() counts it again: NR_FREE_PAGES drifts, an upstream bug those versions
     * keep. 6.10 (fd919a85cd55) frees such a block one pageblock at a time with split_large_buddy(); the 6.12
     * profile does that here, for this case (otherwise the block is freed whole as before).
     */
    private void freeOnePageOrSplit(Zone zone, long page, int order, int migratetype, int fpiFlags) {
        if (pa.profile.atLeast(KernelProfile.V6_12) && order > pa.pageblockOrder && zone.hasIsolatePageblock()
                && straddlesIsolation(page, order)) {
            splitLargeBuddy(zone, page, order);
            return;
        }
        freeOnePageLocked(page, page, zone, order, migratetype, fpiFlags);
    }

    /** Whether the pageblocks under a block of {@code order} are not all isolated or all not isolated. */
    private boolean straddlesIsolation(long page, int order) {
        boolean headIsolated = isMigrateIsolate(mm.getPageblockMigratetype(page));
        for (long pfn = page + pa.pageblockNrPages; pfn < page + (1L << order); pfn += pa.pageblockNrPages) {
            if (isMigrateIsolate(mm.getPageblockMigratetype(pfn)) != headIsolated) {
                return true;
            }
        }
        return false;
    }

    /**
     * split_large_buddy() (6.10+): a free block larger than a pageblock, already off the free lists,
     * goes back one pageblock at a time, each with its own pageblock's type (counted unless ISOLATE; halves of
     * the same mergeable type merge again in __free_one_page). Caller holds zone->lock.
     */
    @KernelFunction(symbol = "split_large_buddy", file = "mm/page_alloc.c", versions = {"6.12"})
    void splitLargeBuddy(Zone zone, long pfn, int order) {
        long end = pfn + (1L << order);
        int pieceOrder = Math.min(order, pa.pageblockOrder);
        for (; pfn != end; pfn += 1L << pieceOrder) {
            freeOnePageLocked(pfn, pfn, zone, pieceOrder, mm.getPageblockMigratetype(pfn), FPI_NONE);
        }
    }

    /**
     * __free_one_page(): counts the pages as free (not in an ISOLATE block), merges with free buddies of the same
     * order as far as the version allows, and puts the block at the head of its list, or at the tail for
     * FPI_TO_TAIL or when the next-higher buddy is free (buddy_merge_likely). Merge limits: [4.4] a page freed
     * into an ISOLATE block stops at pageblock_order; [5.10] above pageblock_order, no merge between an ISOLATE
     * block and another type; [6.1] above pageblock_order, no merge between different types unless both are
     * mergeable (UNMOVABLE/MOVABLE/RECLAIMABLE). Caller holds zone->lock.
     */
    @KernelFunction(symbol = "__free_one_page", file = "mm/page_alloc.c")
    public void freeOnePageLocked(long page, long pfn, Zone zone, int order, int migratetype, int fpiFlags) {
        if (!isMigrateIsolate(migratetype)) {
            zone.modZoneFreepageState(1L << order, migratetype);
        }
        KernelProfile p = pa.profile;
        int maxOrder = PageAlloc.MAX_ORDER - 1;
        if (!p.atLeast(KernelProfile.V5_10) && isMigrateIsolate(migratetype)) {
            maxOrder = Math.min(PageAlloc.MAX_ORDER - 1, pa.pageblockOrder);
        }
        long buddyPfn = 0;
        while (order < maxOrder) {
            buddyPfn = pfn ^ (1L << order);
            if (!pageIsBuddy(zone, buddyPfn, order)) {
                break;
            }
            if (order >= pa.pageblockOrder && !mayMergeAbovePageblock(zone, migratetype, buddyPfn)) {
                break;
            }
            zone.freeArea.delPageFromFreeList(buddyPfn, order);
            pfn = buddyPfn & pfn;
            order++;
        }
        mm.setBuddyOrder(pfn, order);
        boolean toTail = (fpiFlags & FPI_TO_TAIL) != 0 || buddyMergeLikely(zone, pfn, buddyPfn, order);
        if (toTail) {
            zone.freeArea.addToFreeListTail(pfn, order, migratetype);
        } else {
            zone.freeArea.addToFreeList(pfn, order, migratetype);
        }
    }

    /** The version's rule for merging a block of pageblock order or more with its buddy. */
    private boolean mayMergeAbovePageblock(Zone zone, int migratetype, long buddyPfn) {
        KernelProfile p = pa.profile;
        if (!p.atLeast(KernelProfile.V5_10)) {
            return true;
        }
        int buddyMt = mm.getPageblockMigratetype(buddyPfn);
        if (!p.atLeast(KernelProfile.V6_1)) {
            return !(zone.hasIsolatePageblock() && migratetype != buddyMt
                    && (isMigrateIsolate(migratetype) || isMigrateIsolate(buddyMt)));
        }
        return migratetype == buddyMt || (isMergeable(migratetype) && isMergeable(buddyMt));
    }

    /** page_is_buddy(): a free block head of exactly this order, in the same zone. */
    private boolean pageIsBuddy(Zone zone, long buddyPfn, int order) {
        return mm.pfnValid(buddyPfn) && mm.pageBuddy(buddyPfn) && mm.buddyOrder(buddyPfn) == order
                && mm.zoneIdx(buddyPfn) == zone.idx;
    }

    /**
     * buddy_merge_likely(): if the buddy of the block one order up is free, this block will probably merge soon,
     * so it goes to the tail where it is less likely to be allocated first.
     */
    private boolean buddyMergeLikely(Zone zone, long pfn, long buddyPfn, int order) {
        if (order >= PageAlloc.MAX_ORDER - 2) {
            return false;
        }
        long higherPagePfn = buddyPfn & pfn;
        return pageIsBuddy(zone, higherPagePfn ^ (1L << (order + 1)), order + 1);
    }

    /**
     * __free_pages_core(): boot hands a block to the buddy allocator: clear PG_reserved, refcount 0, count it as
     * managed, and free it bypassing the pcp lists, to the tail of the free list since 5.10 (FPI_TO_TAIL).
     */
    @KernelFunction(symbol = "__free_pages_core", file = "mm/page_alloc.c")
    public void freePagesCore(long page, int order) {
        long nr = 1L << order;
        for (long pfn = page; pfn < page + nr; pfn++) {
            mm.clearFlag(pfn, Page.PG_RESERVED);
            mm.setPageCount(pfn, 0);
        }
        pa.pageZone(page).managedPages += nr;
        if (pa.profile.bootFreesToTail()) {
            freePagesOk(page, order, FPI_TO_TAIL);
        } else {
            // 4.4: __free_pages_boot_core() -> __free_pages(): order-0 blocks pass through the pcp lists
            mm.setPageCount(page, 1);
            freePages(page, order);
        }
    }

    /**
     * init_cma_reserved_pageblock(): a reserved pageblock of a CMA area becomes MIGRATE_CMA and is freed to the
     * buddy allocator as one block (or MAX_ORDER - 1 blocks when pageblock_order is larger), counted as managed.
     */
    @KernelFunction(symbol = "init_cma_reserved_pageblock", file = "mm/page_alloc.c")
    public void initCmaReservedPageblock(long page) {
        int i = pa.pageblockNrPages;
        for (long pfn = page; pfn < page + i; pfn++) {
            mm.clearFlag(pfn, Page.PG_RESERVED);
            mm.setPageCount(pfn, 0);
        }
        mm.setPageblockMigratetype(page, MIGRATE_CMA);
        if (pa.pageblockOrder >= PageAlloc.MAX_ORDER) {
            for (long p = page; p < page + i; p += 1L << (PageAlloc.MAX_ORDER - 1)) {
                mm.setPageCount(p, 1);
                freePages(p, PageAlloc.MAX_ORDER - 1);
            }
        } else {
            mm.setPageCount(page, 1);
            freePages(page, pa.pageblockOrder);
        }
        Zone zone = pa.pageZone(page);
        zone.managedPages += i;
        zone.cmaPages += i;
    }

    /** split_page(): a non-compound high-order block becomes 2^order order-0 pages, each with one reference. */
    @KernelFunction(symbol = "split_page", file = "mm/page_alloc.c")
    public void splitPage(long page, int order) {
        for (long pfn = page + 1; pfn < page + (1L << order); pfn++) {
            mm.setPageCount(pfn, 1);
            mm.setOwner(pfn, mm.owner(page));
        }
    }

    /**
     * free_contig_range(): __free_page() on every page of the range, counting the pages someone else still
     * holds; WARNs "%lu pages are still in use!" ([4.4, 5.10] "%d ...").
     */
    @KernelFunction(symbol = "free_contig_range", file = "mm/page_alloc.c")
    public void freeContigRange(long pfn, long nrPages) {
        long count = 0;
        for (; nrPages-- > 0; pfn++) {
            long page = pfn;
            count += mm.pageCount(page) != 1 ? 1 : 0;
            freePage(page);
        }
        if (count != 0) {
            pa.printk.warn("mm/page_alloc.c", "free_contig_range", count + " pages are still in use!");
        }
    }
}
