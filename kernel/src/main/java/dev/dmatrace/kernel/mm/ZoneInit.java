package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;
import java.util.Arrays;

/**
 * mm/page_alloc.c (mm/mm_init.c from 6.2), the node setup at boot: free_area_init() builds the zones from
 * max_zone_pfns[] and initialises every struct page (reserved, one reference, MOVABLE pageblocks);
 * build_all_zonelists() decides page_group_by_mobility_disabled and logs the zonelist line.
 */
public final class ZoneInit {

    private ZoneInit() {
    }

    /**
     * free_area_init(): zone i spans [max_zone_pfns[i-1], max_zone_pfns[i]) clipped to the memmap; each RAM pfn
     * gets __init_single_page() (refcount 1, PG_reserved: memblock still owns it), each pageblock of a zone
     * starts MIGRATE_MOVABLE (memmap_init_range); holes are PG_nomap.
     */
    @KernelFunction(symbol = "free_area_init", file = "mm/page_alloc.c")
    public static Zone[] freeAreaInit(MemMap mm, long[] maxZonePfns, int cpus, int nrPcpLists, long[][] ramPfnRanges) {
        Zone[] zones = new Zone[Zone.MAX_NR_ZONES];
        long prev = mm.startPfn();
        for (int i = 0; i < Zone.MAX_NR_ZONES; i++) {
            long end = Math.min(Math.max(maxZonePfns[i], prev), mm.endPfn());
            long start = Math.min(prev, end);
            zones[i] = new Zone(i, start, end - start, mm, cpus, nrPcpLists);
            prev = end;
        }
        Arrays.fill(mm.flags, Page.PG_NOMAP | Page.PG_RESERVED);
        Arrays.fill(mm.zone, (byte) -1);
        long blockMask = mm.pageblockNrPages() - 1;
        for (Zone z : zones) {
            for (long[] ram : ramPfnRanges) {
                long start = Math.max(ram[0], z.zoneStartPfn);
                long end = Math.min(ram[1], z.zoneEndPfn());
                for (long pfn = start; pfn < end; pfn++) {
                    int i = mm.idx(pfn);
                    mm.flags[i] = Page.PG_RESERVED;
                    mm.refcount[i] = 1;
                    mm.next[i] = i;
                    mm.prev[i] = i;
                    mm.zone[i] = (byte) z.idx;
                    if ((pfn & blockMask) == 0) {
                        mm.setPageblockMigratetype(pfn, MigrateType.MIGRATE_MOVABLE);
                    }
                }
                z.presentPages += Math.max(0, end - start);
            }
        }
        return zones;
    }

    /**
     * build_all_zonelists(): mobility grouping is disabled when the pages the allocator will manage (present
     * minus the memmap, as free_area_init_core() estimates them) are fewer than pageblock_nr_pages *
     * MIGRATE_TYPES. Logs "Built 1 zonelists, mobility grouping on.  Total pages: %ld".
     */
    @KernelFunction(symbol = "build_all_zonelists", file = "mm/page_alloc.c")
    public static void buildAllZonelists(PageAlloc pa, int bits) {
        int structPageSize = bits == 64 ? 64 : 32;
        long total = 0;
        for (Zone z : pa.zones) {
            long freesize = z.presentPages;
            long memmapPages = (z.spannedPages * structPageSize + 4095) >> 12;
            if (z.spannedPages > z.presentPages + (z.presentPages >> 4)) {
                memmapPages = (z.presentPages * structPageSize + 4095) >> 12;
            }
            if (!z.isHighmem() && freesize >= memmapPages) {
                freesize -= memmapPages;
            }
            total += freesize;
        }
        pa.pageGroupByMobilityDisabled = total < (long) pa.pageblockNrPages * MigrateType.MIGRATE_TYPES;
        pa.printk.log(String.format("Built 1 zonelists, mobility grouping %s.  Total pages: %d",
                pa.pageGroupByMobilityDisabled ? "off" : "on", total));
    }
}
