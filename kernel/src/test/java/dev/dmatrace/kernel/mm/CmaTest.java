package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import org.junit.jupiter.api.Test;

/** CMA pageblocks in the allocator: watermarks, __rmqueue's CMA rules, merging across CMA blocks. */
class CmaTest {

    /** 64 MiB with a 48 MiB CMA area at the top. */
    private static Machine mostlyCma(KernelProfile p) {
        Machine m = Machine.create(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
        m.declareCmaArea(BASE + 16 * MIB, 48 * MIB);
        m.boot();
        return m;
    }

    @Test
    void initCmaReservedPageblock_marksCma_countsManagedAndFree_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        PageAlloc pa = m.pageAlloc();
        assertThat(pa.totalcmaPages()).isEqualTo(48 * 256);
        assertThat(pa.globalNrFreeCmaPages()).isEqualTo(48 * 256);
        assertThat(pa.totalramPages()).isEqualTo(64 * 256);
        assertThat(m.memMap().getPageblockMigratetype(pfn(BASE + 16 * MIB))).isEqualTo(MIGRATE_CMA);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    /** __zone_watermark_ok(): free CMA pages are not counted without ALLOC_CMA (5.10, 6.1 and 4.4 alike). */
    @Test
    void zoneWatermarkOk_unmovableFails_whileMovableSucceeds_onMostlyCmaZone_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        PageAlloc pa = m.pageAlloc();
        int taken = 0;
        while (pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0) != Page.NULL) {
            taken++;
        }
        Zone z = pa.zone(Zone.ZONE_DMA);
        assertThat(taken).isLessThan(16 * 256);
        assertThat(z.nrFreeCmaPages()).isEqualTo(48 * 256);
        long nonCmaFree = z.nrFreePages() - z.nrFreeCmaPages();
        assertThat(nonCmaFree).as("stopped by the min watermark, not by an empty zone")
                .isLessThanOrEqualTo(z.minWmarkPages());
        long movable = pa.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
        assertThat(movable).isNotEqualTo(Page.NULL);
        assertThat(m.memMap().getPageblockMigratetype(movable)).isEqualTo(MIGRATE_CMA);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void unmovableRequests_neverGetCmaPages_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        PageAlloc pa = m.pageAlloc();
        for (long p; (p = pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 2)) != Page.NULL;) {
            assertThat(m.memMap().getPageblockMigratetype(p)).isNotEqualTo(MIGRATE_CMA);
        }
    }

    /** __rmqueue() [5.10, 6.1]: more than half the free pages are CMA, so a movable request takes CMA first. */
    @Test
    void rmqueue_movableUsesCmaFirst_whenMoreThanHalfFreeIsCma_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long page = m.pageAlloc().allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 4);
        assertThat(m.memMap().getPageblockMigratetype(page)).isEqualTo(MIGRATE_CMA);
    }

    @Test
    void rmqueue_movableUsesCmaFirst_whenMoreThanHalfFreeIsCma_5_10() {
        Machine m = mostlyCma(KernelProfile.V5_10);
        long page = m.pageAlloc().allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 4);
        assertThat(m.memMap().getPageblockMigratetype(page)).isEqualTo(MIGRATE_CMA);
    }

    /** __rmqueue() [4.4]: CMA only after __rmqueue_smallest(MOVABLE) failed. */
    @Test
    void rmqueue_movableUsesMovableFirst_evenWhenMostlyCma_4_4() {
        Machine m = mostlyCma(KernelProfile.V4_4);
        long page = m.pageAlloc().allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 4);
        assertThat(m.memMap().getPageblockMigratetype(page)).isEqualTo(MIGRATE_MOVABLE);
    }

    @Test
    void rmqueue_movableUsesMovableFirst_whenCmaIsLessThanHalf_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        m.declareCmaArea(BASE + 48 * MIB, 16 * MIB);
        m.boot();
        long page = m.pageAlloc().allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 4);
        assertThat(m.memMap().getPageblockMigratetype(page)).isEqualTo(MIGRATE_MOVABLE);
    }

    /** A single CMA pageblock whose buddy pageblock is a free MOVABLE one. */
    private static Machine oneCmaPageblock(KernelProfile p) {
        Machine m = Machine.create(arm64(p, 16));
        m.declareCmaArea(BASE + 2 * MIB, 2 * MIB);
        m.boot();
        return m;
    }

    /** __free_one_page() [6.1]: CMA is not mergeable with MOVABLE above pageblock_order. */
    @Test
    void freeOnePage_doesNotMergeCmaWithMovablePageblock_6_1() {
        Machine m = oneCmaPageblock(KernelProfile.V6_1);
        Zone z = m.pageAlloc().zone(Zone.ZONE_DMA);
        assertThat(countOnList(z, 9, MIGRATE_CMA)).isEqualTo(1);
        assertThat(countOnList(z, 9, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** __free_one_page() [5.10]: only ISOLATE limits merging, so the CMA pageblock merges with its buddy. */
    @Test
    void freeOnePage_mergesCmaWithMovablePageblock_5_10() {
        Machine m = oneCmaPageblock(KernelProfile.V5_10);
        Zone z = m.pageAlloc().zone(Zone.ZONE_DMA);
        assertThat(countOnList(z, 9, MIGRATE_CMA) + countOnList(z, 9, MIGRATE_MOVABLE)).isZero();
        assertThat(countOnList(z, 10, MIGRATE_CMA)).isEqualTo(1);
    }
}
