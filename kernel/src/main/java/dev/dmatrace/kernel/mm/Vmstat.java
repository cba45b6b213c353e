package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;

/**
 * mm/vmstat.c's /proc files: {@code /proc/buddyinfo}, {@code /proc/pagetypeinfo} and {@code /proc/vmstat}, in
 * the kernel's formats byte for byte (populated zones only, node 0).
 */
public final class Vmstat {

    /** TEXTS_FOR_ZONES() suffixes. */
    private static final String[] ZONE_TEXTS = {"dma", "dma32", "normal", "high", "movable"};

    private final PageAlloc pa;

    public Vmstat(PageAlloc pa) {
        this.pa = pa;
    }

    /** frag_show() / frag_show_print(): nr_free per order. */
    @KernelFunction(symbol = "frag_show", file = "mm/vmstat.c")
    public String buddyinfo() {
        StringBuilder sb = new StringBuilder();
        for (Zone z : pa.zones) {
            if (!z.populated()) {
                continue;
            }
            z.lock.lock();
            try {
                sb.append(String.format("Node %d, zone %8s ", 0, z.name()));
                for (int order = 0; order < PageAlloc.MAX_ORDER; order++) {
                    sb.append(String.format("%6d ", z.freeArea.nrFree(order)));
                }
            } finally {
                z.lock.unlock();
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** pagetypeinfo_show(): free blocks per migratetype and order, then pageblocks per migratetype. */
    @KernelFunction(symbol = "pagetypeinfo_show", file = "mm/vmstat.c")
    public String pagetypeinfo() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Page block order: %d\n", pa.pageblockOrder));
        sb.append(String.format("Pages per block:  %d\n", pa.pageblockNrPages));
        sb.append('\n');
        sb.append(String.format("%-43s ", "Free pages count per migrate type at order"));
        for (int order = 0; order < PageAlloc.MAX_ORDER; order++) {
            sb.append(String.format("%6d ", order));
        }
        sb.append('\n');
        boolean cap = pa.profile.pagetypeinfoCapsWalk();
        for (Zone z : pa.zones) {
            if (!z.populated()) {
                continue;
            }
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                sb.append(String.format("Node %4d, zone %8s, type %12s ", 0, z.name(), MigrateType.name(mt)));
                for (int order = 0; order < PageAlloc.MAX_ORDER; order++) {
                    z.lock.lock();
                    try {
                        int count = z.freeArea.countList(order, mt, cap ? 100000 : Integer.MAX_VALUE);
                        sb.append(String.format("%s%6d ", cap && count >= 100000 ? ">" : "", count));
                    } finally {
                        z.lock.unlock();
                    }
                }
                sb.append('\n');
            }
        }
        sb.append(String.format("\n%-23s", "Number of blocks type "));
        for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
            sb.append(String.format("%12s ", MigrateType.name(mt)));
        }
        sb.append('\n');
        for (Zone z : pa.zones) {
            if (!z.populated()) {
                continue;
            }
            long[] count = new long[MigrateType.MIGRATE_TYPES];
            for (long pfn = z.zoneStartPfn; pfn < z.zoneEndPfn(); pfn += pa.pageblockNrPages) {
                if (!pa.mm.pfnValid(pfn) || pa.mm.zoneIdx(pfn) != z.idx) {
                    continue;
                }
                count[pa.mm.getPageblockMigratetype(pfn)]++;
            }
            sb.append(String.format("Node %d, zone %8s ", 0, z.name()));
            for (long c : count) {
                sb.append(String.format("%12d ", c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * vmstat_show(): the counters the port keeps, in vmstat_text[] order: nr_free_pages, nr_free_cma,
     * pgalloc_&lt;zone&gt; for the zones the arch configures, pgfree, pgmigrate_success, pgmigrate_fail, and [6.1]
     * cma_alloc_success, cma_alloc_fail.
     */
    @KernelFunction(symbol = "vmstat_show", file = "mm/vmstat.c")
    public String vmstat() {
        StringBuilder sb = new StringBuilder();
        sb.append("nr_free_pages ").append(pa.globalNrFreePages()).append('\n');
        sb.append("nr_free_cma ").append(pa.globalNrFreeCmaPages()).append('\n');
        for (Zone z : pa.zones) {
            if (pa.zoneConfigured(z.idx)) {
                sb.append("pgalloc_").append(ZONE_TEXTS[z.idx]).append(' ').append(pa.pgalloc(z.idx)).append('\n');
            }
        }
        sb.append("pgfree ").append(pa.pgfree()).append('\n');
        sb.append("pgmigrate_success ").append(pa.vmEvents.sum(VmEvents.PGMIGRATE_SUCCESS)).append('\n');
        sb.append("pgmigrate_fail ").append(pa.vmEvents.sum(VmEvents.PGMIGRATE_FAIL)).append('\n');
        if (pa.profile.atLeast(dev.dmatrace.kernel.boot.KernelProfile.V6_1)) {
            sb.append("cma_alloc_success ").append(pa.vmEvents.sum(VmEvents.CMA_ALLOC_SUCCESS)).append('\n');
            sb.append("cma_alloc_fail ").append(pa.vmEvents.sum(VmEvents.CMA_ALLOC_FAIL)).append('\n');
        }
        return sb.toString();
    }
}
