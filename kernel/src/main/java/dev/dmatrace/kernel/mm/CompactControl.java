package dev.dmatrace.kernel.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct compact_control} (mm/internal.h), the fields alloc_contig_range() uses: the zone, the list of
 * pages isolated for migration (page->lru in the kernel; a list of pfns here), the scanner position, the mode.
 */
final class CompactControl {

    final Zone zone;
    final List<Long> migratepages = new ArrayList<>();
    int nrMigratepages;
    long migratePfn;
    final int mode;
    final long gfpMask;

    CompactControl(Zone zone, int mode, long gfpMask) {
        this.zone = zone;
        this.mode = mode;
        this.gfpMask = gfpMask;
    }
}
