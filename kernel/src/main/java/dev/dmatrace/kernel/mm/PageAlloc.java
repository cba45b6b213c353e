package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.AllocFlags.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.printk.Printk;
import dev.dmatrace.kernel.sched.Current;
import dev.dmatrace.kernel.trace.events.Kmem;

/**
 * mm/page_alloc.c, the allocation side: {@code __alloc_pages} down to {@code __rmqueue_smallest} and
 * {@code expand}. The fallback/stealing rules are in {@link PageAllocFallback}, the slow path in
 * {@link PageAllocSlowpath}, the free side in {@link PageFree}, the per-cpu lists in {@link Pcp}, watermarks in
 * {@link Watermarks}. One instance per
 * machine (one node); it owns the zones and the shared counters.
 */
public final class PageAlloc {

    public static final int MAX_ORDER = FreeArea.MAX_ORDER;
    public static final int PAGE_ALLOC_COSTLY_ORDER = 3;

    final KernelProfile profile;
    private final boolean configZoneDma32;
    final MemMap mm;
    final Zone[] zones;
    /** The node's zonelist: populated zones, highest first (build_zonelists). */
    final Zone[] zonelist;
    final int pageblockOrder;
    final int pageblockNrPages;
    /** page_group_by_mobility_disabled (build_all_zonelists). */
    boolean pageGroupByMobilityDisabled;
    final Printk printk;
    final Kmem kmem;
    final PageAllocFallback fallback;
    final PageFree free;
    final Pcp pcp;
    final Watermarks watermarks;
    final PageAllocSlowpath slowpath;
    /** vm events PGALLOC_<zone> and PGFREE. */
    final VmEvents vmEvents;
    /** totalcma_pages (mm/cma.c), added by the CMA reservation. */
    long totalcmaPages;
    private boolean warnedOnce;

    /**
     * @param configZoneDma32 whether the kernel config has ZONE_DMA32 (arm64, x86-64; not 32-bit ARM), which
     *        alloc_flags_nofragment() depends on
     */
    public PageAlloc(KernelProfile profile, MemMap mm, Zone[] zones, boolean configZoneDma32, Printk printk,
            Kmem kmem) {
        this.profile = profile;
        this.configZoneDma32 = configZoneDma32;
        this.mm = mm;
        this.zones = zones;
        int n = 0;
        for (Zone z : zones) {
            if (z.populated()) {
                n++;
            }
        }
        this.zonelist = new Zone[n];
        for (int i = zones.length - 1, j = 0; i >= 0; i--) {
            if (zones[i].populated()) {
                zonelist[j++] = zones[i];
            }
        }
        this.vmEvents = new VmEvents(zones[0].cpus());
        this.pageblockOrder = mm.pageblockOrder();
        this.pageblockNrPages = 1 << pageblockOrder;
        this.printk = printk;
        this.kmem = kmem;
        this.fallback = new PageAllocFallback(this);
        this.free = new PageFree(this);
        this.pcp = new Pcp(this);
        this.watermarks = new Watermarks(this);
        this.slowpath = new PageAllocSlowpath(this);
    }

    public KernelProfile profile() {
        return profile;
    }

    public MemMap memMap() {
        return mm;
    }

    public Zone zone(int idx) {
        return zones[idx];
    }

    public Zone[] zonelist() {
        return zonelist.clone();
    }

    public PageFree free() {
        return free;
    }

    public Pcp pcp() {
        return pcp;
    }

    public Watermarks watermarks() {
        return watermarks;
    }

    public PageAllocFallback fallback() {
        return fallback;
    }

    public Printk printk() {
        return printk;
    }

    /**
     * Whether the kernel config has this zone (CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, CONFIG_HIGHMEM), which is what
     * /proc/vmstat's per-zone counters list. The modelled configs: arm64 and x86-64 have both DMA zones and no
     * HIGHMEM; 32-bit ARM has HIGHMEM and neither DMA zone.
     */
    public boolean zoneConfigured(int zoneIdx) {
        return switch (zoneIdx) {
            case Zone.ZONE_DMA, Zone.ZONE_DMA32 -> configZoneDma32;
            case Zone.ZONE_HIGHMEM -> !configZoneDma32;
            default -> true;
        };
    }

    /** page_zone(). */
    public Zone pageZone(long pfn) {
        return zones[mm.zoneIdx(pfn)];
    }

    public long pgalloc(int zoneIdx) {
        return vmEvents.sum(VmEvents.PGALLOC + zoneIdx);
    }

    /** The vm event counters (PGALLOC, PGFREE, PGMIGRATE_*, CMA_ALLOC_*). */
    public VmEvents vmEvents() {
        return vmEvents;
    }

    public long pgfree() {
        return vmEvents.sum(VmEvents.PGFREE);
    }

    public long totalcmaPages() {
        return totalcmaPages;
    }

    /** The CMA reservation (cma_init_reserved_mem) accounts its pages here. */
    public void addTotalcmaPages(long nrPages) {
        totalcmaPages += nrPages;
    }

    /** totalram_pages(): the managed pages of all zones. */
    public long totalramPages() {
        long sum = 0;
        for (Zone z : zones) {
            sum += z.managedPages;
        }
        return sum;
    }

    /** global_zone_page_state(NR_FREE_PAGES). */
    public long globalNrFreePages() {
        long sum = 0;
        for (Zone z : zones) {
            sum += z.nrFreePages;
        }
        return sum;
    }

    /** global_zone_page_state(NR_FREE_CMA_PAGES). */
    public long globalNrFreeCmaPages() {
        long sum = 0;
        for (Zone z : zones) {
            sum += z.nrFreeCmaPages;
        }
        return sum;
    }

    /** alloc_pages(gfp, order) on the only node. */
    public long allocPages(long gfp, int order) {
        return allocPagesInternal(gfp, order);
    }

    /**
     * __alloc_pages() [6.1] / __alloc_pages_nodemask() [4.4, 5.10]: the fast path at the low watermark, then the
     * slow path; fires mm_page_alloc with the result (NULL included). Returns the pfn or {@link Page#NULL}.
     */
    @KernelFunction(symbol = "__alloc_pages", file = "mm/page_alloc.c")
    long allocPagesInternal(@KernelFlags(Gfp.class) long gfp, int order) {
        int allocFlags = ALLOC_WMARK_LOW;
        // 5.10/6.1 refuse order >= MAX_ORDER up front; 4.4 does it in the slow path after the fast path failed
        if (order >= MAX_ORDER && profile.atLeast(KernelProfile.V5_10)) {
            if ((gfp & Gfp.__GFP_NOWARN) == 0) {
                warnOnce(profile.allocPagesSymbol());
            }
            return Page.NULL;
        }
        int highestZoneidx = Gfp.gfpZone(gfp);
        int migratetype = Gfp.gfpMigratetype(gfp);
        // no zone at or below highest_zoneidx (a __GFP_DMA request on a board without ZONE_DMA): the slow path fails
        Zone preferred = firstZone(highestZoneidx);
        // prepare_alloc_pages(): ALLOC_CMA for movable requests (gfp_to_alloc_flags_cma / 4.4 inline)
        if (migratetype == MIGRATE_MOVABLE) {
            allocFlags |= ALLOC_CMA;
        }
        if (profile.hasAllocNofragment() && configZoneDma32) {
            allocFlags |= allocFlagsNofragment(preferred, gfp);
        }
        long page = getPageFromFreelist(gfp, order, allocFlags, highestZoneidx, migratetype);
        if (page == Page.NULL) {
            page = slowpath.allocPagesSlowpath(gfp, order, highestZoneidx, migratetype);
        }
        kmem.traceMmPageAlloc(page, order, gfp, migratetype);
        return page;
    }

    /** first_zones_zonelist(): the first zone not above highest_zoneidx. */
    private Zone firstZone(int highestZoneidx) {
        for (Zone z : zonelist) {
            if (z.idx <= highestZoneidx) {
                return z;
            }
        }
        return null;
    }

    /**
     * alloc_flags_nofragment() [5.0+]: ALLOC_KSWAPD from __GFP_KSWAPD_RECLAIM, and (CONFIG_ZONE_DMA32)
     * ALLOC_NOFRAGMENT when the preferred zone is ZONE_NORMAL (one node: no populated_zone() test, as on UMA).
     */
    private int allocFlagsNofragment(Zone zone, long gfp) {
        int flags = (int) (gfp & Gfp.__GFP_KSWAPD_RECLAIM);
        if (zone == null || zone.idx != Zone.ZONE_NORMAL) {
            return flags;
        }
        return flags | ALLOC_NOFRAGMENT;
    }

    @KernelFunction(symbol = "get_page_from_freelist", file = "mm/page_alloc.c")
    long getPageFromFreelist(@KernelFlags(Gfp.class) long gfpMask, int order, int allocFlags, int highestZoneidx,
            int migratetype) {
        while (true) {
            boolean noFallback = (allocFlags & ALLOC_NOFRAGMENT) != 0;
            Zone preferred = firstZone(highestZoneidx);
            for (Zone zone : zonelist) {
                if (zone.idx > highestZoneidx) {
                    continue;
                }
                long mark = zone.wmarkPages(allocFlags & ALLOC_WMARK_MASK);
                // node_reclaim is disabled (the default): a zone below its watermark is skipped
                if (!watermarks.zoneWatermarkFast(zone, order, mark, highestZoneidx, allocFlags, gfpMask)
                        && (allocFlags & ALLOC_NO_WATERMARKS) == 0) {
                    continue;
                }
                long page = rmqueue(preferred, zone, order, gfpMask, allocFlags, migratetype);
                if (page != Page.NULL) {
                    prepNewPage(page, order, gfpMask);
                    if (order > 0 && (allocFlags & (profile.hasAllocReserveRework() ? ALLOC_HIGHATOMIC
                            : ALLOC_HARDER)) != 0) {
                        fallback.reserveHighatomicPageblock(page, zone);
                    }
                    return page;
                }
            }
            if (!noFallback) {
                return Page.NULL;
            }
            allocFlags &= ~ALLOC_NOFRAGMENT;
        }
    }

    /** prep_new_page() / post_alloc_hook(): the block is handed out with one reference on its head. */
    private void prepNewPage(long page, int order, long gfp) {
        mm.setPageCount(page, 1);
        mm.setOwner(page, Page.OWNER_KERNEL);
    }

    /**
     * rmqueue() [6.1] / rmqueue() [5.10] / buffered_rmqueue() [4.4]: pcp lists for the orders they hold (not for
     * MOVABLE without ALLOC_CMA, 5.10+), else the buddy lists under zone->lock.
     */
    @KernelFunction(symbol = "rmqueue", file = "mm/page_alloc.c")
    long rmqueue(Zone preferredZone, Zone zone, int order, @KernelFlags(Gfp.class) long gfpFlags, int allocFlags,
            int migratetype) {
        long page;
        if (profile.pcpAllowedOrder(order)) {
            boolean cmaException = profile.atLeast(KernelProfile.V5_10) && (allocFlags & ALLOC_CMA) == 0
                    && migratetype == MIGRATE_MOVABLE;
            if (!cmaException) {
                page = pcp.rmqueuePcplist(preferredZone, zone, order, migratetype, allocFlags);
                // 4.4 and 5.10 return the pcp result as it is; 6.1 falls through to the buddy lists on failure
                if (page != Page.NULL || !profile.atLeast(KernelProfile.V6_1)) {
                    return wakeIfBoosted(zone, page);
                }
            }
        }
        page = rmqueueBuddy(preferredZone, zone, order, allocFlags, migratetype);
        return wakeIfBoosted(zone, page);
    }

    /** The ZONE_BOOSTED_WATERMARK test at rmqueue()'s out: label. */
    private long wakeIfBoosted(Zone zone, long page) {
        if (zone.boostedWatermark) {
            zone.boostedWatermark = false;
            wakeupKswapd(zone);
        }
        return page;
    }

    /**
     * wakeup_kswapd(). Reclaim is not modelled; what a woken kswapd does to the allocator's state on a machine
     * with nothing to reclaim is end the boosted reclaim: balance_pgdat() resets zone->watermark_boost.
     */
    @KernelFunction(symbol = "wakeup_kswapd", file = "mm/vmscan.c", versions = {"5.10", "6.1"})
    void wakeupKswapd(Zone zone) {
        zone.lock.lock();
        try {
            zone.watermarkBoost = 0;
        } finally {
            zone.lock.unlock();
        }
    }

    /** rmqueue_buddy() [6.1]; the zone->lock part of rmqueue() [5.10] and buffered_rmqueue() [4.4]. */
    @KernelFunction(symbol = "rmqueue_buddy", file = "mm/page_alloc.c")
    long rmqueueBuddy(Zone preferredZone, Zone zone, int order, int allocFlags, int migratetype) {
        long page = Page.NULL;
        zone.lock.lock();
        try {
            boolean highatomic = profile.hasAllocReserveRework() ? (allocFlags & ALLOC_HIGHATOMIC) != 0
                    : order > 0 && (allocFlags & ALLOC_HARDER) != 0;
            if (highatomic) {
                page = rmqueueSmallest(zone, order, MIGRATE_HIGHATOMIC);
                if (page != Page.NULL && !profile.zoneLockedTraceInSmallest()) {
                    kmem.traceMmPageAllocZoneLocked(page, order, migratetype, order == 0 ? 1 : 0);
                }
            }
            if (page == Page.NULL) {
                page = rmqueueUnderLock(zone, order, migratetype, allocFlags);
                // 6.1.119: OOM and non-blocking requests may dip into the HIGHATOMIC reserve when all else failed
                if (page == Page.NULL && profile.hasAllocReserveRework()
                        && (allocFlags & (ALLOC_OOM | ALLOC_NON_BLOCK)) != 0) {
                    page = rmqueueSmallest(zone, order, MIGRATE_HIGHATOMIC);
                }
                if (page == Page.NULL) {
                    return Page.NULL;
                }
            }
            zone.modZoneFreepageState(-(1L << order), mm.pcppageMigratetype(page));
        } finally {
            zone.lock.unlock();
        }
        vmEvents.count(Current.smpProcessorId(), VmEvents.PGALLOC + zone.idx, 1L << order);
        return page;
    }

    /**
     * __rmqueue(): [5.10, 6.1] CMA first when ALLOC_CMA and more than half the zone's free pages are CMA; then
     * the requested type, CMA (ALLOC_CMA), and the fallback, which moves pages to the requested type's lists and
     * retries. [4.4] requested type, CMA for MOVABLE requests, then the fallback that returns the page itself.
     */
    @KernelFunction(symbol = "__rmqueue", file = "mm/page_alloc.c")
    long rmqueueUnderLock(Zone zone, int order, int migratetype, int allocFlags) {
        long page;
        if (!profile.fallbackRetriesSmallest()) {
            page = rmqueueSmallest(zone, order, migratetype);
            if (page == Page.NULL && migratetype == MIGRATE_MOVABLE) {
                page = rmqueueCmaFallback(zone, order);
            }
            if (page == Page.NULL) {
                page = fallback.rmqueueFallback44(zone, order, migratetype);
            }
            kmem.traceMmPageAllocZoneLocked(page, order, migratetype, order == 0 ? 1 : 0);
            return page;
        }
        if ((allocFlags & ALLOC_CMA) != 0 && profile.cmaFirstWhenMoreThanHalf()
                && zone.nrFreeCmaPages > zone.nrFreePages / 2) {
            page = rmqueueCmaFallback(zone, order);
            if (page != Page.NULL) {
                return traceZoneLocked510(page, order, migratetype);
            }
        }
        while (true) {
            page = rmqueueSmallest(zone, order, migratetype);
            if (page != Page.NULL) {
                break;
            }
            if ((allocFlags & ALLOC_CMA) != 0) {
                page = rmqueueCmaFallback(zone, order);
            }
            if (page != Page.NULL || !fallback.rmqueueFallback(zone, order, migratetype, allocFlags)) {
                break;
            }
        }
        return traceZoneLocked510(page, order, migratetype);
    }

    /** [5.10] fires mm_page_alloc_zone_locked at the end of __rmqueue() for a page; 6.1 in __rmqueue_smallest(). */
    private long traceZoneLocked510(long page, int order, int migratetype) {
        if (page != Page.NULL && !profile.zoneLockedTraceInSmallest()) {
            kmem.traceMmPageAllocZoneLocked(page, order, migratetype, order == 0 ? 1 : 0);
        }
        return page;
    }

    /** __rmqueue_cma_fallback(): __rmqueue_smallest(zone, order, MIGRATE_CMA). */
    @KernelFunction(symbol = "__rmqueue_cma_fallback", file = "mm/page_alloc.c")
    long rmqueueCmaFallback(Zone zone, int order) {
        return rmqueueSmallest(zone, order, MIGRATE_CMA);
    }

    /**
     * __rmqueue_smallest(): the first block of the smallest order that has one on the type's list, split down by
     * {@link #expand}; the page's pcp migratetype is the requested type.
     */
    @KernelFunction(symbol = "__rmqueue_smallest", file = "mm/page_alloc.c")
    long rmqueueSmallest(Zone zone, int order, int migratetype) {
        FreeArea area = zone.freeArea;
        for (int currentOrder = order; currentOrder < MAX_ORDER; currentOrder++) {
            long page = area.getPageFromFreeArea(currentOrder, migratetype);
            if (page == Page.NULL) {
                continue;
            }
            area.delPageFromFreeList(page, currentOrder);
            expand(zone, page, order, currentOrder, migratetype);
            mm.setPcppageMigratetype(page, migratetype);
            if (profile.zoneLockedTraceInSmallest()) {
                kmem.traceMmPageAllocZoneLocked(page, order, migratetype,
                        profile.pcpAllowedOrder(order) && migratetype < MIGRATE_PCPTYPES ? 1 : 0);
            }
            return page;
        }
        return Page.NULL;
    }

    /** expand(): halves the block; each upper half goes to the head of the type's list at its order. */
    void expand(Zone zone, long page, int low, int high, int migratetype) {
        long size = 1L << high;
        while (high > low) {
            high--;
            size >>= 1;
            zone.freeArea.addToFreeList(page + size, high, migratetype);
            mm.setBuddyOrder(page + size, high);
        }
    }

    /** WARN_ON_ONCE() in the allocator: the first time only. */
    synchronized void warnOnce(String function) {
        if (!warnedOnce) {
            warnedOnce = true;
            printk.warn("mm/page_alloc.c", function, null);
        }
    }
}
