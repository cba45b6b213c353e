package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelValue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct zone} (include/linux/mmzone.h): span, managed pages, watermarks, lowmem reserves, the free
 * area, the per-cpu pagesets, {@code zone->lock} and the zone's vmstat counters.
 */
public final class Zone {

    public static final int ZONE_DMA = 0;
    public static final int ZONE_DMA32 = 1;
    public static final int ZONE_NORMAL = 2;
    public static final int ZONE_HIGHMEM = 3;
    public static final int ZONE_MOVABLE = 4;
    public static final int MAX_NR_ZONES = 5;

    public static final int WMARK_MIN = 0;
    public static final int WMARK_LOW = 1;
    public static final int WMARK_HIGH = 2;

    private static final String[] NAMES = {"DMA", "DMA32", "Normal", "HighMem", "Movable"};

    final int idx;
    final long zoneStartPfn;
    final long spannedPages;
    long presentPages;
    long managedPages;
    long cmaPages;
    final long[] watermark = new long[3];
    long watermarkBoost;
    final long[] lowmemReserve = new long[MAX_NR_ZONES];
    long nrReservedHighatomic;
    int nrIsolatePageblock;
    /** ZONE_BOOSTED_WATERMARK in zone->flags. */
    boolean boostedWatermark;
    final FreeArea freeArea;
    final PerCpuPages[] perCpuPageset;
    int pagesetHigh;
    int pagesetBatch;
    /** zone->lock (a spinlock taken irqsave in the kernel). */
    public final ReentrantLock lock = new ReentrantLock();

    // vm_stat[NR_FREE_PAGES], vm_stat[NR_FREE_CMA_PAGES]; written under zone->lock
    volatile long nrFreePages;
    volatile long nrFreeCmaPages;

    Zone(int idx, long zoneStartPfn, long spannedPages, MemMap mm, int cpus, int nrPcpLists) {
        this.idx = idx;
        this.zoneStartPfn = zoneStartPfn;
        this.spannedPages = spannedPages;
        this.freeArea = new FreeArea(mm);
        this.perCpuPageset = new PerCpuPages[cpus];
        for (int c = 0; c < cpus; c++) {
            perCpuPageset[c] = new PerCpuPages(mm, c, nrPcpLists);
        }
    }

    public static String zoneName(int idx) {
        return NAMES[idx];
    }

    public int idx() {
        return idx;
    }

    /** The zone's name ("DMA", "Normal"): how the agent records a zone argument. */
    @KernelValue
    public String name() {
        return NAMES[idx];
    }

    public long zoneStartPfn() {
        return zoneStartPfn;
    }

    public long zoneEndPfn() {
        return zoneStartPfn + spannedPages;
    }

    public long spannedPages() {
        return spannedPages;
    }

    public long presentPages() {
        return presentPages;
    }

    /** zone_managed_pages(). */
    public long managedPages() {
        return managedPages;
    }

    public long cmaPages() {
        return cmaPages;
    }

    /** populated_zone(). */
    public boolean populated() {
        return presentPages > 0;
    }

    public boolean isHighmem() {
        return idx == ZONE_HIGHMEM;
    }

    /** zone_spans_pfn(). */
    public boolean spansPfn(long pfn) {
        return pfn >= zoneStartPfn && pfn < zoneStartPfn + spannedPages;
    }

    public long minWmarkPages() {
        return watermark[WMARK_MIN] + watermarkBoost;
    }

    public long lowWmarkPages() {
        return watermark[WMARK_LOW] + watermarkBoost;
    }

    public long highWmarkPages() {
        return watermark[WMARK_HIGH] + watermarkBoost;
    }

    /** wmark_pages(z, i): the watermark plus the boost. */
    long wmarkPages(int i) {
        return watermark[i] + watermarkBoost;
    }

    public long watermarkBoost() {
        return watermarkBoost;
    }

    public long lowmemReserve(int highestZoneidx) {
        return lowmemReserve[highestZoneidx];
    }

    public long nrReservedHighatomic() {
        return nrReservedHighatomic;
    }

    public FreeArea freeArea() {
        return freeArea;
    }

    public PerCpuPages pcp(int cpu) {
        return perCpuPageset[cpu];
    }

    public int cpus() {
        return perCpuPageset.length;
    }

    /** zone_page_state(zone, NR_FREE_PAGES). */
    public long nrFreePages() {
        return nrFreePages;
    }

    /** zone_page_state(zone, NR_FREE_CMA_PAGES). */
    public long nrFreeCmaPages() {
        return nrFreeCmaPages;
    }

    /** has_isolate_pageblock(). */
    public boolean hasIsolatePageblock() {
        return nrIsolatePageblock > 0;
    }

    public int nrIsolatePageblock() {
        return nrIsolatePageblock;
    }

    /** Page isolation (later work) counts the zone's isolated pageblocks here, under zone->lock. */
    public void modNrIsolatePageblock(int delta) {
        nrIsolatePageblock += delta;
    }

    /** __mod_zone_freepage_state(): NR_FREE_PAGES, and NR_FREE_CMA_PAGES for a CMA migratetype. */
    public void modZoneFreepageState(long nrPages, int migratetype) {
        nrFreePages += nrPages;
        if (MigrateType.isMigrateCma(migratetype)) {
            nrFreeCmaPages += nrPages;
        }
    }

    void modNrFreeCmaPages(long nrPages) {
        nrFreeCmaPages += nrPages;
    }

    void modNrFreePages(long nrPages) {
        nrFreePages += nrPages;
    }
}
