package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import org.junit.jupiter.api.Test;

/** init_per_zone_wmark_min(): min_free_kbytes, per-zone watermarks, lowmem reserves; expected values by hand. */
class WatermarksTest {

    @Test
    void setupPerZoneWmarks_defaultBoard_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        Zone z = m.pageAlloc().zone(Zone.ZONE_DMA);
        // 251904 managed pages: min_free_kbytes = int_sqrt(1007616 * 16) = 4015 -> 1003 pages
        assertThat(m.pageAlloc().watermarks().minFreeKbytes()).isEqualTo(4015);
        assertThat(z.minWmarkPages()).isEqualTo(1003);
        // tmp = max(1003 >> 2, 251904 * 10 / 10000) = 251
        assertThat(z.lowWmarkPages()).isEqualTo(1003 + 251);
        assertThat(z.highWmarkPages()).isEqualTo(1003 + 2 * 251);
    }

    @Test
    void setupPerZoneWmarks_lowAndHighFromMinOnly_4_4() {
        Machine m = Machine.boot(Boards.VEXPRESS_ARM_44);
        Zone z = m.pageAlloc().zone(Zone.ZONE_NORMAL);
        // 126976 pages: int_sqrt(507904 * 16) = 2850 kB -> 712 pages; low = min + min/4, high = min + min/2
        assertThat(z.minWmarkPages()).isEqualTo(712);
        assertThat(z.lowWmarkPages()).isEqualTo(712 + 178);
        assertThat(z.highWmarkPages()).isEqualTo(712 + 356);
    }

    @Test
    void highmemZone_minIsManagedOver1024_clamped_4_4() {
        Machine m = boot(arm(KernelProfile.V4_4, 1024));
        Zone high = m.pageAlloc().zone(Zone.ZONE_HIGHMEM);
        assertThat(m.pageAlloc().zone(Zone.ZONE_NORMAL).presentPages()).isEqualTo(768 * 256);
        assertThat(high.presentPages()).isEqualTo(256 * 256);
        assertThat(high.minWmarkPages()).isEqualTo(64);
        assertThat(new Vmstat(m.pageAlloc()).buddyinfo()).contains("zone  HighMem ");
    }

    @Test
    void setupPerZoneLowmemReserve_x86_5_10() {
        Machine m = Machine.boot(Boards.PC_X86_64);
        PageAlloc pa = m.pageAlloc();
        Zone dma = pa.zone(Zone.ZONE_DMA);
        Zone dma32 = pa.zone(Zone.ZONE_DMA32);
        long normal = pa.zone(Zone.ZONE_NORMAL).managedPages();
        assertThat(dma.lowmemReserve(Zone.ZONE_DMA32)).isEqualTo(dma32.managedPages() / 256);
        assertThat(dma.lowmemReserve(Zone.ZONE_NORMAL)).isEqualTo((dma32.managedPages() + normal) / 256);
        assertThat(dma32.lowmemReserve(Zone.ZONE_NORMAL)).isEqualTo(normal / 256);
        assertThat(dma32.lowmemReserve(Zone.ZONE_DMA32)).isZero();
    }

    /** A GFP_KERNEL request that could use Normal must leave DMA32's lowmem reserve alone. */
    @Test
    void zoneWatermarkOk_respectsLowmemReserve_5_10() {
        Machine m = Machine.boot(Boards.PC_X86_64);
        PageAlloc pa = m.pageAlloc();
        Zone dma32 = pa.zone(Zone.ZONE_DMA32);
        long mark = dma32.lowWmarkPages();
        long free = dma32.nrFreePages();
        assertThat(pa.watermarks().zoneWatermarkOk(dma32, 0, mark, Zone.ZONE_DMA32, AllocFlags.ALLOC_WMARK_LOW,
                free)).isTrue();
        long reserve = dma32.lowmemReserve(Zone.ZONE_NORMAL);
        assertThat(pa.watermarks().zoneWatermarkOk(dma32, 0, mark, Zone.ZONE_NORMAL, AllocFlags.ALLOC_WMARK_LOW,
                mark + reserve)).isFalse();
        assertThat(pa.watermarks().zoneWatermarkOk(dma32, 0, mark, Zone.ZONE_NORMAL, AllocFlags.ALLOC_WMARK_LOW,
                mark + reserve + 1)).isTrue();
    }

    /** __zone_watermark_ok() for order > 0 needs a free block of a usable type at that order or above. */
    @Test
    void zoneWatermarkOk_highOrder_needsABlockOnAUsableList_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        m.declareCmaArea(BASE + 32 * MIB, 32 * MIB);
        m.boot();
        PageAlloc pa = m.pageAlloc();
        Zone z = pa.zone(Zone.ZONE_DMA);
        // take every non-CMA order-10 block: only CMA blocks are left at order 10
        while (z.freeArea.getPageFromFreeArea(10, MigrateType.MIGRATE_MOVABLE) != Page.NULL) {
            take(pa, Gfp.GFP_KERNEL, 10);
        }
        long huge = 1L << 40;
        assertThat(pa.watermarks().zoneWatermarkOk(z, 10, 0, Zone.ZONE_NORMAL, AllocFlags.ALLOC_CMA, huge)).isTrue();
        assertThat(pa.watermarks().zoneWatermarkOk(z, 10, 0, Zone.ZONE_NORMAL, 0, huge)).isFalse();
    }
}
