package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;

/**
 * mm/page_alloc.c, the per-cpu page lists: sizing ({@code zone_batchsize}, {@code zone_highsize}), the
 * allocation side ({@code rmqueue_pcplist}, {@code rmqueue_bulk}), the free side ({@code free_unref_page},
 * {@code free_pcppages_bulk}) and draining. A cpu's pcp is touched only under its lock (pcp->lock in 6.1,
 * local_irq_save in 4.4/5.10), taken with tryLock where 6.1 uses pcp_spin_trylock.
 */
public final class Pcp {

    /** CONFIG_PCP_BATCH_SCALE_MAX default. */
    static final int PCP_BATCH_SCALE_MAX = 5;

    private final PageAlloc pa;
    private final MemMap mm;
    private final boolean v61;

    Pcp(PageAlloc pa) {
        this.pa = pa;
        this.mm = pa.mm;
        this.v61 = pa.profile.atLeast(KernelProfile.V6_1);
    }

    /**
     * zone_batchsize(): about 0.1% of the zone or 1 MiB ([4.4] 512 KiB), whichever is smaller, divided by 4 and
     * clamped to 2^n - 1.
     */
    @KernelFunction(symbol = "zone_batchsize", file = "mm/page_alloc.c")
    int zoneBatchsize(Zone zone) {
        long batch = Math.min(zone.managedPages >> 10, pa.profile.pcpBatchCapBytes() / 4096);
        batch /= 4;
        if (batch < 1) {
            batch = 1;
        }
        return (int) Long.highestOneBit(batch + batch / 2) - 1;
    }

    /** zone_highsize() [6.1]: the low watermark split across the cpus, at least 4 batches. */
    @KernelFunction(symbol = "zone_highsize", file = "mm/page_alloc.c", versions = {"6.1"})
    int zoneHighsize(Zone zone, int batch, int cpuOnline) {
        long totalPages = zone.watermark[Zone.WMARK_LOW];
        int nrSplitCpus = zone.cpus() + cpuOnline;
        long high = totalPages / nrSplitCpus;
        return (int) Math.max(high, (long) batch << 2);
    }

    /**
     * zone_pcp_update() / zone_set_pageset_high_and_batch(): [6.1] high from zone_highsize(); [4.4, 5.10]
     * pageset_set_batch(): high = 6 * batch.
     */
    @KernelFunction(symbol = "zone_set_pageset_high_and_batch", file = "mm/page_alloc.c")
    void zoneSetPagesetHighAndBatch(Zone zone) {
        int batch = Math.max(1, zoneBatchsize(zone));
        int high = v61 ? zoneHighsize(zone, batch, 0) : 6 * batch;
        zone.pagesetHigh = high;
        zone.pagesetBatch = batch;
        for (PerCpuPages p : zone.perCpuPageset) {
            p.batch = batch;
            p.high = high;
        }
    }

    /** setup_per_cpu_pageset() [4.4, 5.10]: every zone's pcp high/batch from its managed pages at this point. */
    @KernelFunction(symbol = "setup_per_cpu_pageset", file = "mm/page_alloc.c", versions = {"4.4", "5.10"})
    public void setupPerCpuPageset() {
        for (Zone z : pa.zones) {
            zoneSetPagesetHighAndBatch(z);
        }
    }

    private static int pindex(int migratetype, int order) {
        return PerCpuPages.orderToPindex(migratetype, order);
    }

    /** rmqueue_pcplist(): the current cpu's list for (migratetype, order); NULL if the pcp is busy or empty. */
    @KernelFunction(symbol = "rmqueue_pcplist", file = "mm/page_alloc.c")
    long rmqueuePcplist(Zone preferredZone, Zone zone, int order, int migratetype, int allocFlags) {
        int cpu = Current.smpProcessorId();
        PerCpuPages pcp = zone.perCpuPageset[cpu];
        if (!pcp.lock.tryLock()) {
            return Page.NULL;
        }
        long page;
        try {
            pcp.freeFactor >>= 1;
            page = rmqueuePcplistLocked(zone, order, migratetype, allocFlags, pcp, pindex(migratetype, order));
        } finally {
            pcp.lock.unlock();
        }
        if (page != Page.NULL) {
            pa.vmEvents.count(cpu, VmEvents.PGALLOC + zone.idx, 1L << order);
        }
        return page;
    }

    /** __rmqueue_pcplist(): refill an empty list with a batch (6.1: scaled down by order), take the first page. */
    @KernelFunction(symbol = "__rmqueue_pcplist", file = "mm/page_alloc.c")
    long rmqueuePcplistLocked(Zone zone, int order, int migratetype, int allocFlags, PerCpuPages pcp, int list) {
        if (pcp.lists.isEmpty(list)) {
            int batch = pcp.batch;
            if (v61 && batch > 1) {
                batch = Math.max(batch >> order, 2);
            }
            int alloced = rmqueueBulk(zone, order, batch, pcp, list, migratetype, allocFlags);
            pcp.count += alloced << order;
            if (pcp.lists.isEmpty(list)) {
                return Page.NULL;
            }
        }
        long page = pcp.lists.first(list);
        PageList.del(mm, page);
        pcp.count -= 1 << order;
        return page;
    }

    /**
     * rmqueue_bulk(): {@code count} blocks from __rmqueue() under one zone->lock hold, appended in order to the
     * pcp list; NR_FREE_PAGES drops by all of them, NR_FREE_CMA_PAGES by those from CMA.
     */
    @KernelFunction(symbol = "rmqueue_bulk", file = "mm/page_alloc.c")
    int rmqueueBulk(Zone zone, int order, int count, PerCpuPages pcp, int list, int migratetype, int allocFlags) {
        int i;
        zone.lock.lock();
        try {
            for (i = 0; i < count; ++i) {
                long page = pa.rmqueueUnderLock(zone, order, migratetype, allocFlags);
                if (page == Page.NULL) {
                    break;
                }
                pcp.lists.addTail(list, page);
                if (isMigrateCma(mm.pcppageMigratetype(page))) {
                    zone.modNrFreeCmaPages(-(1L << order));
                }
            }
            zone.modNrFreePages(-((long) i << order));
        } finally {
            zone.lock.unlock();
        }
        return i;
    }

    /**
     * free_unref_page() [5.10, 6.1] / free_hot_cold_page() [4.4]: record the pageblock's type as the pcp
     * migratetype; ISOLATE pages go straight to the buddy lists, CMA and HIGHATOMIC ones onto the MOVABLE list.
     */
    @KernelFunction(symbol = "free_unref_page", file = "mm/page_alloc.c")
    void freeUnrefPage(long page, int order) {
        if (!pa.free.freePagesPrepare(page, order)) {
            return;
        }
        int migratetype = mm.getPageblockMigratetype(page);
        mm.setPcppageMigratetype(page, migratetype);
        int pcpmigratetype = migratetype;
        Zone zone = pa.pageZone(page);
        int cpu = Current.smpProcessorId();
        if (!v61) {
            // [4.4, 5.10] PGFREE is counted before the ISOLATE test; 6.1 counts in free_unref_page_commit()
            pa.vmEvents.count(cpu, VmEvents.PGFREE, 1);
        }
        if (migratetype >= MIGRATE_PCPTYPES) {
            if (isMigrateIsolate(migratetype)) {
                pa.free.freeOnePage(zone, page, order, migratetype, PageFree.FPI_NONE);
                return;
            }
            pcpmigratetype = MIGRATE_MOVABLE;
        }
        PerCpuPages pcp = zone.perCpuPageset[cpu];
        if (pcp.lock.tryLock()) {
            try {
                freeUnrefPageCommit(zone, pcp, page, pcpmigratetype, order);
            } finally {
                pcp.lock.unlock();
            }
        } else {
            pa.free.freeOnePage(zone, page, order, migratetype, PageFree.FPI_NONE);
        }
    }

    /**
     * free_unref_page_commit(): to the head of the pcp list; at pcp->high a batch goes back to the buddy lists
     * ([6.1] nr_pcp_free() grows the batch while frees come without allocations; [4.4, 5.10] pcp->batch).
     */
    @KernelFunction(symbol = "free_unref_page_commit", file = "mm/page_alloc.c")
    void freeUnrefPageCommit(Zone zone, PerCpuPages pcp, long page, int migratetype, int order) {
        if (v61) {
            pa.vmEvents.count(pcp.cpu, VmEvents.PGFREE, 1L << order);
        }
        int pindex = pindex(migratetype, order);
        pcp.lists.add(pindex, page);
        pcp.count += 1 << order;
        if (!v61) {
            if (pcp.count >= pcp.high) {
                freePcppagesBulk(zone, pcp.batch, pcp, 0);
            }
            return;
        }
        boolean freeHigh = pcp.freeFactor != 0 && order != 0 && order <= PageAlloc.PAGE_ALLOC_COSTLY_ORDER;
        int high = nrPcpHigh(pcp, freeHigh);
        if (pcp.count >= high) {
            freePcppagesBulk(zone, nrPcpFree(pcp, high, pcp.batch, freeHigh), pcp, pindex);
        }
    }

    /** nr_pcp_high() [6.1]; ZONE_RECLAIM_ACTIVE never set here (no reclaim). */
    private static int nrPcpHigh(PerCpuPages pcp, boolean freeHigh) {
        if (pcp.high == 0 || freeHigh) {
            return 0;
        }
        return pcp.high;
    }

    /** nr_pcp_free() [6.1]: batch << free_factor, clamped to [batch, high - batch]; all for free_high. */
    private static int nrPcpFree(PerCpuPages pcp, int high, int batch, boolean freeHigh) {
        if (freeHigh) {
            return pcp.count;
        }
        if (high < batch) {
            return 1;
        }
        int minNrFree = batch;
        int maxNrFree = high - batch;
        batch <<= pcp.freeFactor;
        if (batch < maxNrFree && pcp.freeFactor < PCP_BATCH_SCALE_MAX) {
            pcp.freeFactor++;
        }
        return Math.max(minNrFree, Math.min(batch, maxNrFree));
    }

    /**
     * free_pcppages_bulk(): {@code count} pages from the pcp lists back to the buddy allocator, oldest (tail)
     * first. [6.1] round-robin over all lists starting with {@code pindex}; [4.4, 5.10] round-robin over the
     * three migratetype lists starting at MOVABLE, taking more from fuller lists (batch_free).
     */
    @KernelFunction(symbol = "free_pcppages_bulk", file = "mm/page_alloc.c")
    void freePcppagesBulk(Zone zone, int count, PerCpuPages pcp, int pindex) {
        count = Math.min(pcp.count, count);
        zone.lock.lock();
        try {
            boolean isolatedPageblocks = zone.hasIsolatePageblock();
            if (v61) {
                bulk61(zone, count, pcp, pindex - 1, isolatedPageblocks);
            } else {
                bulk510(zone, count, pcp, isolatedPageblocks);
            }
        } finally {
            zone.lock.unlock();
        }
    }

    private void bulk61(Zone zone, int count, PerCpuPages pcp, int pindex, boolean isolatedPageblocks) {
        int minPindex = 0;
        int maxPindex = pcp.nrLists - 1;
        while (count > 0) {
            while (true) {
                if (++pindex > maxPindex) {
                    pindex = minPindex;
                }
                if (!pcp.lists.isEmpty(pindex)) {
                    break;
                }
                if (pindex == maxPindex) {
                    maxPindex--;
                }
                if (pindex == minPindex) {
                    minPindex++;
                }
            }
            int order = PerCpuPages.pindexToOrder(pindex);
            int nrPages = 1 << order;
            do {
                long page = pcp.lists.last(pindex);
                count -= nrPages;
                pcp.count -= nrPages;
                freeFromPcp(zone, page, order, isolatedPageblocks);
            } while (count > 0 && !pcp.lists.isEmpty(pindex));
        }
    }

    private void bulk510(Zone zone, int count, PerCpuPages pcp, boolean isolatedPageblocks) {
        int migratetype = 0;
        int batchFree = 0;
        while (count > 0) {
            do {
                batchFree++;
                if (++migratetype == MIGRATE_PCPTYPES) {
                    migratetype = 0;
                }
            } while (pcp.lists.isEmpty(migratetype));
            if (batchFree == MIGRATE_PCPTYPES) {
                batchFree = count;
            }
            do {
                long page = pcp.lists.last(migratetype);
                pcp.count--;
                freeFromPcp(zone, page, 0, isolatedPageblocks);
            } while (--count > 0 && --batchFree > 0 && !pcp.lists.isEmpty(migratetype));
        }
    }

    private void freeFromPcp(Zone zone, long page, int order, boolean isolatedPageblocks) {
        PageList.del(mm, page);
        int mt = mm.pcppageMigratetype(page);
        if (isolatedPageblocks) {
            mt = mm.getPageblockMigratetype(page);
        }
        pa.free.freeOnePageLocked(page, page, zone, order, mt, PageFree.FPI_NONE);
        pa.kmem.traceMmPagePcpuDrain(page, order, mt);
    }

    /**
     * drain_all_pages(zone): every cpu's pcp pages of the zone (or of every zone for null) back to the buddy
     * allocator. The kernel runs remote drains on the owning cpus (5.10) or under their pcp locks (6.1); here the
     * caller drains each cpu's lists under that cpu's lock.
     */
    @KernelFunction(symbol = "drain_all_pages", file = "mm/page_alloc.c")
    public void drainAllPages(Zone zone) {
        for (int cpu = 0; cpu < cpus(); cpu++) {
            if (zone != null) {
                drainPagesZone(cpu, zone);
            } else {
                for (Zone z : pa.zonelist) {
                    drainPagesZone(cpu, z);
                }
            }
        }
    }

    private int cpus() {
        return pa.zones[0].cpus();
    }

    /** drain_pages_zone(): all of one cpu's pcp pages in one zone. */
    @KernelFunction(symbol = "drain_pages_zone", file = "mm/page_alloc.c")
    void drainPagesZone(int cpu, Zone zone) {
        PerCpuPages pcp = zone.perCpuPageset[cpu];
        pcp.lock.lock();
        try {
            if (pcp.count > 0) {
                freePcppagesBulk(zone, pcp.count, pcp, 0);
            }
        } finally {
            pcp.lock.unlock();
        }
    }
}
