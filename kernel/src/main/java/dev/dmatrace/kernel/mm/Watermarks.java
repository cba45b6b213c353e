package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.AllocFlags.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;

/**
 * mm/page_alloc.c, watermarks: computing them at boot ({@code init_per_zone_wmark_min},
 * {@code __setup_per_zone_wmarks}, {@code setup_per_zone_lowmem_reserve}) and checking them on every
 * allocation ({@code zone_watermark_fast}, {@code __zone_watermark_ok}).
 */
public final class Watermarks {

    /** watermark_scale_factor default (4.6+). */
    static final int WATERMARK_SCALE_FACTOR = 10;
    /** sysctl_lowmem_reserve_ratio[] by zone: DMA 256, DMA32 256, NORMAL 32, HIGHMEM 0, MOVABLE 0. */
    private static final int[] LOWMEM_RESERVE_RATIO = {256, 256, 32, 0, 0};

    private final PageAlloc pa;
    private int minFreeKbytes = 1024;

    Watermarks(PageAlloc pa) {
        this.pa = pa;
    }

    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    /** init_per_zone_wmark_min() (postcore_initcall): min_free_kbytes, watermarks, pcp sizes, lowmem reserves. */
    @KernelFunction(symbol = "init_per_zone_wmark_min", file = "mm/page_alloc.c")
    public void initPerZoneWmarkMin() {
        calculateMinFreeKbytes();
        setupPerZoneWmarks();
        setupPerZoneLowmemReserve();
    }

    /** calculate_min_free_kbytes(): sqrt(lowmem_kbytes * 16), clamped to [128, 65536 (4.4) / 262144]. */
    @KernelFunction(symbol = "calculate_min_free_kbytes", file = "mm/page_alloc.c")
    void calculateMinFreeKbytes() {
        long lowmemKbytes = nrFreeBufferPages() * 4;
        long v = (long) Math.sqrt((double) (lowmemKbytes * 16));
        while (v * v > lowmemKbytes * 16) {
            v--;
        }
        while ((v + 1) * (v + 1) <= lowmemKbytes * 16) {
            v++;
        }
        minFreeKbytes = (int) Math.max(128, Math.min(v, pa.profile.maxMinFreeKbytes()));
    }

    /** nr_free_buffer_pages(): managed pages above the high watermark in the zones GFP_USER may use. */
    private long nrFreeBufferPages() {
        long sum = 0;
        for (Zone z : pa.zones) {
            if (z.idx <= Zone.ZONE_NORMAL) {
                long high = z.watermark[Zone.WMARK_HIGH];
                if (z.managedPages > high) {
                    sum += z.managedPages - high;
                }
            }
        }
        return sum;
    }

    /**
     * setup_per_zone_wmarks(): the watermarks, then [6.1] the pcp high/batch that derive from them
     * (zone_pcp_update); 4.4 and 5.10 size the pcp lists in setup_per_cpu_pageset() instead.
     */
    @KernelFunction(symbol = "setup_per_zone_wmarks", file = "mm/page_alloc.c")
    public void setupPerZoneWmarks() {
        setupPerZoneWmarksLocked();
        if (pa.profile.atLeast(KernelProfile.V6_1)) {
            for (Zone z : pa.zones) {
                pa.pcp.zoneSetPagesetHighAndBatch(z);
            }
        }
    }

    /**
     * __setup_per_zone_wmarks(): min is the zone's share of min_free_kbytes (highmem: managed / 1024 within
     * [32, 128]); [4.6+] low = min + max(min / 4, managed * watermark_scale_factor / 10000), high = low + the same;
     * [4.4] low = min + min / 4, high = min + min / 2.
     */
    @KernelFunction(symbol = "__setup_per_zone_wmarks", file = "mm/page_alloc.c")
    void setupPerZoneWmarksLocked() {
        long pagesMin = minFreeKbytes >> 2;
        long lowmemPages = 0;
        for (Zone z : pa.zones) {
            if (!z.isHighmem()) {
                lowmemPages += z.managedPages;
            }
        }
        for (Zone z : pa.zones) {
            z.lock.lock();
            try {
                long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managedPages / lowmemPages;
                if (z.isHighmem()) {
                    z.watermark[Zone.WMARK_MIN] = Math.max(32, Math.min(z.managedPages / 1024, 128));
                } else {
                    z.watermark[Zone.WMARK_MIN] = tmp;
                }
                if (pa.profile.hasWatermarkScaleFactor()) {
                    tmp = Math.max(tmp >> 2, z.managedPages * WATERMARK_SCALE_FACTOR / 10000);
                    z.watermarkBoost = 0;
                    z.watermark[Zone.WMARK_LOW] = z.watermark[Zone.WMARK_MIN] + tmp;
                    z.watermark[Zone.WMARK_HIGH] = z.watermark[Zone.WMARK_LOW] + tmp;
                } else {
                    z.watermark[Zone.WMARK_LOW] = z.watermark[Zone.WMARK_MIN] + (tmp >> 2);
                    z.watermark[Zone.WMARK_HIGH] = z.watermark[Zone.WMARK_MIN] + (tmp >> 1);
                }
            } finally {
                z.lock.unlock();
            }
        }
    }

    /**
     * setup_per_zone_lowmem_reserve(): what a zone keeps back from requests that could have used a higher zone.
     * [5.10, 6.1] lowmem_reserve[j] = managed pages of zones i+1..j / ratio[i] (0 when the ratio or the zone is
     * empty); [4.4] the older loop that adds the lower zones' managed pages as it walks down.
     */
    @KernelFunction(symbol = "setup_per_zone_lowmem_reserve", file = "mm/page_alloc.c")
    void setupPerZoneLowmemReserve() {
        Zone[] zones = pa.zones;
        if (!pa.profile.atLeast(KernelProfile.V5_10)) {
            for (int j = 0; j < Zone.MAX_NR_ZONES; j++) {
                long managedPages = zones[j].managedPages;
                zones[j].lowmemReserve[j] = 0;
                for (int idx = j; idx > 0;) {
                    idx--;
                    int ratio = Math.max(1, LOWMEM_RESERVE_RATIO[idx]);
                    zones[idx].lowmemReserve[j] = managedPages / ratio;
                    managedPages += zones[idx].managedPages;
                }
            }
            return;
        }
        for (int i = 0; i < Zone.MAX_NR_ZONES - 1; i++) {
            Zone zone = zones[i];
            int ratio = LOWMEM_RESERVE_RATIO[i];
            boolean clear = ratio == 0 || zone.managedPages == 0;
            long managedPages = 0;
            for (int j = i + 1; j < Zone.MAX_NR_ZONES; j++) {
                managedPages += zones[j].managedPages;
                zone.lowmemReserve[j] = clear ? 0 : managedPages / ratio;
            }
        }
    }

    /**
     * zone_watermark_fast(): an order-0 shortcut on the usable free pages, then __zone_watermark_ok(); high-priority
     * order-0 requests at the min watermark ignore the boost.
     */
    @KernelFunction(symbol = "zone_watermark_fast", file = "mm/page_alloc.c")
    public boolean zoneWatermarkFast(Zone z, int order, long mark, int highestZoneidx, int allocFlags,
            @KernelFlags(Gfp.class) long gfpMask) {
        long freePages = z.nrFreePages;
        if (order == 0) {
            long reserved = zoneWatermarkUnusableFree(z, 0, allocFlags);
            long usableFree = freePages - Math.min(freePages, reserved);
            if (usableFree > mark + z.lowmemReserve[highestZoneidx]) {
                return true;
            }
        }
        if (zoneWatermarkOk(z, order, mark, highestZoneidx, allocFlags, freePages)) {
            return true;
        }
        // [6.1.119] __GFP_HIGH (ALLOC_MIN_RESERVE) requests; [5.10] __GFP_ATOMIC ones
        boolean boostExempt = pa.profile.hasAllocReserveRework() ? (allocFlags & ALLOC_MIN_RESERVE) != 0
                : (gfpMask & Gfp.__GFP_ATOMIC) != 0;
        if (order == 0 && boostExempt && z.watermarkBoost != 0
                && (allocFlags & ALLOC_WMARK_MASK) == ALLOC_WMARK_MIN) {
            mark = z.watermark[Zone.WMARK_MIN];
            return zoneWatermarkOk(z, order, mark, highestZoneidx, allocFlags, freePages);
        }
        return false;
    }

    /**
     * __zone_watermark_unusable_free(): the pages a request may not count: 2^order - 1, the HIGHATOMIC reserve
     * unless it may use reserves, and the free CMA pages unless ALLOC_CMA.
     */
    private long zoneWatermarkUnusableFree(Zone z, int order, int allocFlags) {
        long unusable = (1L << order) - 1;
        if ((allocFlags & reservesMask()) == 0) {
            unusable += z.nrReservedHighatomic;
        }
        if ((allocFlags & ALLOC_CMA) == 0) {
            unusable += z.nrFreeCmaPages;
        }
        return unusable;
    }

    /** Which flags give access to reserves: [6.1.119] ALLOC_RESERVES; [4.4, 5.10] ALLOC_HARDER (or ALLOC_OOM). */
    private int reservesMask() {
        return pa.profile.hasAllocReserveRework() ? ALLOC_RESERVES : ALLOC_HARDER | ALLOC_OOM;
    }

    /**
     * __zone_watermark_ok(): free pages (less the unusable ones) must exceed min + lowmem_reserve, min lowered for
     * reserve users; for order > 0 some free list of a usable type must hold a block of at least that order.
     */
    @KernelFunction(symbol = "__zone_watermark_ok", file = "mm/page_alloc.c")
    public boolean zoneWatermarkOk(Zone z, int order, long mark, int highestZoneidx, int allocFlags,
            long freePages) {
        long min = mark;
        freePages -= zoneWatermarkUnusableFree(z, order, allocFlags);
        boolean harder;
        if (pa.profile.hasAllocReserveRework()) {
            harder = (allocFlags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) != 0;
            if ((allocFlags & ALLOC_RESERVES) != 0) {
                if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                    min -= min / 2;
                    if ((allocFlags & ALLOC_NON_BLOCK) != 0) {
                        min -= min / 4;
                    }
                }
                if ((allocFlags & ALLOC_OOM) != 0) {
                    min -= min / 2;
                }
            }
        } else {
            harder = (allocFlags & (ALLOC_HARDER | ALLOC_OOM)) != 0;
            if ((allocFlags & ALLOC_HIGH) != 0) {
                min -= min / 2;
            }
            if (harder) {
                min -= (allocFlags & ALLOC_OOM) != 0 ? min / 2 : min / 4;
            }
        }
        if (freePages <= min + z.lowmemReserve[highestZoneidx]) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        FreeArea area = z.freeArea;
        for (int o = order; o < PageAlloc.MAX_ORDER; o++) {
            if (area.nrFree(o) == 0) {
                continue;
            }
            if (harder && !pa.profile.atLeast(KernelProfile.V5_10)) {
                return true; // [4.4] alloc_harder takes any free block
            }
            for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
                if (!area.freeAreaEmpty(o, mt)) {
                    return true;
                }
            }
            if ((allocFlags & ALLOC_CMA) != 0 && !area.freeAreaEmpty(o, MIGRATE_CMA)) {
                return true;
            }
            if (harder && !area.freeAreaEmpty(o, MIGRATE_HIGHATOMIC)) {
                return true;
            }
        }
        return false;
    }
}
