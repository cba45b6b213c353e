package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.CmaAllocTest.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import org.junit.jupiter.api.Test;

/** mm/page_isolation.c: start/undo_isolate_page_range, set/unset_migratetype_isolate, test_pages_isolated. */
class PageIsolationTest {

    private static Zone dma(Machine m) {
        return m.pageAlloc().zone(Zone.ZONE_DMA);
    }

    /** set_migratetype_isolate: free pages move to the ISOLATE lists and leave NR_FREE_PAGES / NR_FREE_CMA_PAGES. */
    @Test
    void setMigratetypeIsolate_movesFreePagesOutOfCounters_undoRestores_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        long free = dma(m).nrFreePages();
        long cmaFree = dma(m).nrFreeCmaPages();
        assertThat(m.isolation().startIsolatePageRange(start, start + 1024, MIGRATE_CMA, 0)).isZero();
        assertThat(dma(m).nrFreePages()).isEqualTo(free - 1024);
        assertThat(dma(m).nrFreeCmaPages()).isEqualTo(cmaFree - 1024);
        assertThat(dma(m).nrIsolatePageblock()).isEqualTo(2);
        assertThat(m.memMap().getPageblockMigratetype(start + 512)).isEqualTo(MIGRATE_ISOLATE);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        m.isolation().undoIsolatePageRange(start, start + 1024, MIGRATE_CMA);
        assertThat(dma(m).nrFreePages()).isEqualTo(free);
        assertThat(dma(m).nrFreeCmaPages()).isEqualTo(cmaFree);
        assertThat(dma(m).nrIsolatePageblock()).isZero();
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** [5.10, 6.1] a pageblock already isolated belongs to another isolator: -EBUSY, nothing left isolated. */
    @Test
    void startIsolatePageRange_alreadyIsolated_ebusy_undoesPartialWork_5_10() {
        Machine m = machine(KernelProfile.V5_10);
        long start = pfn(AREA);
        assertThat(m.isolation().startIsolatePageRange(start + 1024, start + 2048, MIGRATE_CMA, 0)).isZero();
        assertThat(m.isolation().startIsolatePageRange(start, start + 2048, MIGRATE_CMA, 0))
                .isEqualTo(-Errno.EBUSY);
        assertThat(m.memMap().getPageblockMigratetype(start)).isEqualTo(MIGRATE_CMA);
        assertThat(dma(m).nrIsolatePageblock()).isEqualTo(2);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** has_unmovable_pages [6.1]: a CMA pageblock is unmovable for a non-CMA caller. */
    @Test
    void hasUnmovablePages_cmaBlockForMovableCaller_ebusy_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        assertThat(m.isolation().startIsolatePageRange(start, start + 512, MIGRATE_MOVABLE, 0))
                .isEqualTo(-Errno.EBUSY);
        assertThat(dma(m).nrIsolatePageblock()).isZero();
    }

    /** has_unmovable_pages: an unmovable kernel page in a MOVABLE pageblock refuses isolation (6.1 and 4.4 rules). */
    @Test
    void hasUnmovablePages_kernelPageInMovableBlock_ebusy_6_1_and_4_4() {
        for (KernelProfile p : new KernelProfile[] {KernelProfile.V6_1, KernelProfile.V4_4}) {
            Machine m = Machine.boot(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
            long page = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 0);
            long block = page & -(long) m.memMap().pageblockNrPages();
            m.memMap().setPageblockMigratetype(block, MIGRATE_UNMOVABLE);
            // a 4.4 MOVABLE block is movable as a whole; an UNMOVABLE one is scanned page by page
            assertThat(m.isolation().startIsolatePageRange(block, block + m.memMap().pageblockNrPages(),
                    MIGRATE_MOVABLE, 0)).as(p.toString()).isEqualTo(-Errno.EBUSY);
        }
    }

    /** [6.1] isolate_single_pageblock: a free block straddling the range's end is split at the boundary. */
    @Test
    void isolateSinglePageblock_splitsFreeBlockAtBoundary_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        assertThat(m.memMap().pageBuddy(start) && m.memMap().buddyOrder(start) == 10).isTrue();
        assertThat(m.isolation().startIsolatePageRange(start, start + 100, MIGRATE_CMA, 0)).isZero();
        assertThat(m.memMap().buddyOrder(start)).isEqualTo(9);
        assertThat(m.memMap().getPageblockMigratetype(start + 512)).isEqualTo(MIGRATE_CMA);
        assertThat(m.memMap().pageBuddy(start + 512)).isTrue();
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        m.isolation().undoIsolatePageRange(start, start + 100, MIGRATE_CMA);
        assertThat(m.memMap().buddyOrder(start)).as("merged again on unset").isEqualTo(10);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** [4.4] start_isolate_page_range requires pageblock-aligned ends (BUG_ON). */
    @Test
    void startIsolatePageRange_unaligned_bug_4_4() {
        Machine m = machine(KernelProfile.V4_4);
        assertThatThrownBy(() -> m.isolation().startIsolatePageRange(pfn(AREA) + 1, pfn(AREA) + 1024, MIGRATE_CMA,
                0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** test_pages_isolated: [6.1] traces even when a pageblock is not isolated; [5.10] returns without a trace. */
    @Test
    void testPagesIsolated_notIsolated_tracedOnlyOn6_1() {
        Machine m61 = machine(KernelProfile.V6_1);
        assertThat(m61.isolation().testPagesIsolated(pfn(AREA), pfn(AREA) + 512, 0)).isEqualTo(-Errno.EBUSY);
        assertThat(events(m61, "test_pages_isolated")).singleElement().asString()
                .contains("fin_pfn=0x" + Long.toHexString(pfn(AREA)) + " ret=fail");
        Machine m510 = machine(KernelProfile.V5_10);
        assertThat(m510.isolation().testPagesIsolated(pfn(AREA), pfn(AREA) + 1024, 0)).isEqualTo(-Errno.EBUSY);
        assertThat(events(m510, "test_pages_isolated")).isEmpty();
    }

    /** test_pages_isolated: all free -> success, fin_pfn past the end when the last free block reaches beyond it. */
    @Test
    void testPagesIsolated_allFree_success_finPastEnd_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        m.isolation().startIsolatePageRange(start, start + 512, MIGRATE_CMA, 0);
        assertThat(m.isolation().testPagesIsolated(start, start + 300, 0)).isZero();
        assertThat(events(m, "test_pages_isolated")).singleElement().asString()
                .endsWith("start_pfn=0x" + Long.toHexString(start) + " end_pfn=0x" + Long.toHexString(start + 300)
                        + " fin_pfn=0x" + Long.toHexString(start + 512) + " ret=success");
        m.isolation().undoIsolatePageRange(start, start + 512, MIGRATE_CMA);
    }

    /** Pages freed into an isolated pageblock stay on the ISOLATE lists and are not counted free until undo. */
    @Test
    void freeIntoIsolatedBlock_staysIsolated_countedAfterUndo_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        long page = m.cma().cmaAlloc(area(m), 512, 9, false);
        assertThat(page).isEqualTo(start);
        m.isolation().startIsolatePageRange(start, start + 512, MIGRATE_CMA, 0);
        long free = dma(m).nrFreePages();
        m.pageAlloc().free().freeContigRange(start, 512);
        assertThat(dma(m).nrFreePages()).isEqualTo(free);
        assertThat(countOnList(dma(m), 9, MIGRATE_ISOLATE)).isEqualTo(1);
        m.isolation().undoIsolatePageRange(start, start + 512, MIGRATE_CMA);
        assertThat(dma(m).nrFreePages()).isEqualTo(free + 512);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** set_migratetype_isolate [5.10]: with REPORT_FAILURE a refusal dumps the unmovable page; CMA passes 0. */
    @Test
    void setMigratetypeIsolate_reportFailure_dumpsUnmovablePage_5_10() {
        Machine m = Machine.boot(arm64(KernelProfile.V5_10, 64));
        long page = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 0);
        long block = page & -(long) m.memMap().pageblockNrPages();
        m.memMap().setPageblockMigratetype(block, MIGRATE_UNMOVABLE);
        int nr = m.memMap().pageblockNrPages();
        assertThat(m.isolation().startIsolatePageRange(block, block + nr, MIGRATE_MOVABLE, 0)).isEqualTo(-Errno.EBUSY);
        assertThat(m.printk().lines()).noneMatch(l -> l.contains("unmovable page"));
        assertThat(m.isolation().startIsolatePageRange(block, block + nr, MIGRATE_MOVABLE,
                PageIsolation.REPORT_FAILURE)).isEqualTo(-Errno.EBUSY);
        assertThat(m.printk().lines()).contains("page dumped because: unmovable page");
    }

    /** [6.1] isolate_single_pageblock at the start: a free block beginning below the range is split there too. */
    @Test
    void isolateSinglePageblock_splitsFreeBlockAtStart_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long start = pfn(AREA);
        assertThat(m.memMap().buddyOrder(start)).isEqualTo(10);
        long free = dma(m).nrFreePages();
        assertThat(m.isolation().startIsolatePageRange(start + 512, start + 600, MIGRATE_CMA, 0)).isZero();
        assertThat(m.memMap().buddyOrder(start)).isEqualTo(9);
        assertThat(m.memMap().getPageblockMigratetype(start)).isEqualTo(MIGRATE_CMA);
        assertThat(countOnList(dma(m), 9, MIGRATE_ISOLATE)).isEqualTo(1);
        assertThat(dma(m).nrFreePages()).isEqualTo(free - 512);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        m.isolation().undoIsolatePageRange(start + 512, start + 600, MIGRATE_CMA);
        assertThat(dma(m).nrFreePages()).isEqualTo(free);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }
}
