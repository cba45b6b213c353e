package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import org.junit.jupiter.api.Test;

/** __alloc_pages entry checks, zone selection, split_page / free_contig_range, tracepoint text. */
class AllocPagesTest {

    @Test
    void allocPages_orderAtLeastMaxOrder_warnsOnce_returnsNull_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        m.tracing().enable("kmem/mm_page_alloc", true);
        PageAlloc pa = m.pageAlloc();
        assertThat(pa.allocPages(Gfp.GFP_KERNEL, 11)).isEqualTo(Page.NULL);
        assertThat(pa.allocPages(Gfp.GFP_KERNEL, 11)).isEqualTo(Page.NULL);
        assertThat(m.printk().lines()).filteredOn(l -> l.startsWith("WARNING: ")).singleElement().asString()
                .endsWith("at mm/page_alloc.c __alloc_pages");
        // 5.10/6.1 return before prepare_alloc_pages(): no mm_page_alloc event
        assertThat(m.tracing().lines()).isEmpty();
    }

    @Test
    void allocPages_orderAtLeastMaxOrder_nowarn_isSilent_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        assertThat(m.pageAlloc().allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 11)).isEqualTo(Page.NULL);
        assertThat(m.printk().lines()).noneMatch(l -> l.startsWith("WARNING: "));
    }

    @Test
    void allocPages_orderAtLeastMaxOrder_failsInSlowpath_andTracesNull_4_4() {
        Machine m = Machine.boot(Boards.VEXPRESS_ARM_44);
        m.tracing().enable("kmem/mm_page_alloc", true);
        assertThat(m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 11)).isEqualTo(Page.NULL);
        assertThat(m.printk().lines()).anyMatch(l -> l.endsWith("at mm/page_alloc.c __alloc_pages_slowpath"));
        assertThat(m.tracing().lines()).singleElement().asString()
                .endsWith("mm_page_alloc: page=00000000 pfn=0 order=11 migratetype=0 gfp_flags=GFP_KERNEL");
    }

    @Test
    void traceMmPageAlloc_format_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        m.tracing().enable("kmem/mm_page_alloc", true);
        dev.dmatrace.kernel.sched.Current.bind(0, "insmod", 98);
        try {
            long p = m.pageAlloc().allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0);
            assertThat(m.tracing().lines()).singleElement().asString().matches(
                    "^ {10}insmod-98 {6}\\[000\\] \\.{5} +\\d+\\.\\d{6}: mm_page_alloc: page=[0-9a-f]{16} pfn=0x"
                            + Long.toHexString(p) + " order=0 migratetype=0 gfp_flags=GFP_KERNEL\\|__GFP_NOWARN$");
        } finally {
            dev.dmatrace.kernel.sched.Current.bind(0, "swapper/0", 0);
        }
    }

    @Test
    void traceMmPageFree_decimalPfn_andFourFlagColumns_5_10() {
        Machine m = Machine.boot(Boards.PC_X86_64);
        m.tracing().enable("kmem/mm_page_free", true);
        long p = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 2);
        m.pageAlloc().free().freePages(p, 2);
        assertThat(m.tracing().lines()).singleElement().asString()
                .matches("^ +\\S+-\\d+ +\\[000\\] \\.{4} +\\d+\\.\\d{6}: mm_page_free: page=[0-9a-f]{16} pfn=" + p
                        + " order=2$");
    }

    /** summarize.sh's EV normalisation (drop everything up to the timestamp, then " page=<hash>"). */
    @Test
    void traceExtfrag_normalisesLikeTheOracleEvLine_6_1() {
        Machine m = Machine.boot(Boards.ORACLE_ARM64_512M);
        m.tracing().enable("kmem/mm_page_alloc_extfrag", true);
        m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 8);
        String line = m.tracing().lines().get(0).replaceFirst("^.*\\] [^ ]+ +[0-9.]+: ", "")
                .replaceAll(" (page|virt_addr)=([0-9a-f]+|\\(____ptrval____\\))", "");
        // the oracle (p3-exhaust-6.1): "mm_page_alloc_extfrag: pfn=0x59800 alloc_order=8 fallback_order=10
        // pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1"
        assertThat(line).matches("mm_page_alloc_extfrag: pfn=0x[0-9a-f]+ alloc_order=8 fallback_order=10 "
                + "pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1");
        assertThat(m.tracing().lines().get(0)).contains("] d.... ");
    }

    @Test
    void gfpZone_selectsHighestZone_andFallsBackDownTheZonelist() {
        Machine m = Machine.boot(Boards.PC_X86_64);
        PageAlloc pa = m.pageAlloc();
        assertThat(pa.pageZone(pa.allocPages(Gfp.GFP_KERNEL, 0)).idx()).isEqualTo(Zone.ZONE_NORMAL);
        assertThat(pa.pageZone(pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_DMA32, 0)).idx()).isEqualTo(Zone.ZONE_DMA32);
        assertThat(pa.pageZone(pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_DMA, 0)).idx()).isEqualTo(Zone.ZONE_DMA);
        // exhaust Normal: the zonelist continues into DMA32
        while (pa.pageZone(pa.allocPages(Gfp.GFP_KERNEL, 10)).idx() == Zone.ZONE_NORMAL) {
            assertThat(DebugVm.check(pa).size()).isLessThanOrEqualTo(0);
        }
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void warnAlloc_printsPageAllocationFailure_whenZonesAreExhausted_6_1() {
        Machine m = boot(arm64(KernelProfile.V6_1, 16));
        PageAlloc pa = m.pageAlloc();
        int bootLog = m.printk().lines().size();
        while (pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0) != Page.NULL) {
            assertThat(m.printk().lines()).hasSize(bootLog);
        }
        assertThat(pa.allocPages(Gfp.GFP_KERNEL, 0)).isEqualTo(Page.NULL);
        assertThat(m.printk().lines()).anyMatch(l -> l.matches(
                ".*: page allocation failure: order:0, mode:0xcc0\\(GFP_KERNEL\\), nodemask=\\(null\\).*"));
    }

    /** No zone at or below ZONE_DMA on 32-bit ARM: the request fails in the slow path and is still traced. */
    @Test
    void allocPages_gfpDma_withoutZoneDma_failsAndTraces_4_4() {
        Machine m = Machine.boot(Boards.VEXPRESS_ARM_44);
        m.tracing().enable("kmem/mm_page_alloc", true);
        assertThat(m.pageAlloc().allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_DMA, 0)).isEqualTo(Page.NULL);
        assertThat(m.tracing().lines()).singleElement().asString().contains("pfn=0 order=0");
        assertThat(m.printk().lines()).anyMatch(l -> l.contains("page allocation failure: order:0, mode:0xcc1"));
    }

    @Test
    void splitPage_thenFreeContigRange_returnsTheBlock_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        String boot = new Vmstat(pa).buddyinfo();
        int bootLog = m.printk().lines().size();
        long p = pa.allocPages(Gfp.GFP_KERNEL, 4);
        pa.free().splitPage(p, 4);
        pa.free().freeContigRange(p, 16);
        pa.pcp().drainAllPages(null);
        assertThat(m.printk().lines()).hasSize(bootLog);
        assertThat(new Vmstat(pa).buddyinfo()).isEqualTo(boot);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void freeContigRange_warnsAboutPagesStillInUse_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        long p = pa.allocPages(Gfp.GFP_KERNEL, 2);
        pa.free().splitPage(p, 2);
        m.memMap().setPageCount(p + 1, 2);
        pa.free().freeContigRange(p, 4);
        assertThat(m.printk().lines()).containsSubsequence("1 pages are still in use!",
                "WARNING: CPU: 0 PID: 0 at mm/page_alloc.c free_contig_range");
        assertThat(m.memMap().pageCount(p + 1)).isEqualTo(1);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void freePages_headStillReferenced_freesTheTailHalves_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        long p = pa.allocPages(Gfp.GFP_KERNEL, 2);
        m.memMap().setPageCount(p, 2);
        pa.pcp().drainAllPages(null);
        long freeBefore = pa.globalNrFreePages();
        pa.free().freePages(p, 2);
        pa.pcp().drainAllPages(null);
        // order-1 at p+2 and order-0 at p+1 freed; p itself still held
        assertThat(pa.globalNrFreePages()).isEqualTo(freeBefore + 3);
        assertThat(m.memMap().pageCount(p)).isEqualTo(1);
        assertThat(DebugVm.check(pa)).isEmpty();
    }
}
