package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mm/cma.c cma_alloc() / cma_release() per version, each test naming the branch it follows. */
class CmaAllocTest {

    static final long AREA = BASE + 32 * MIB;

    /** 64 MiB arm64 (or 32-bit ARM for 4.4) with a 16 MiB area "test" at +32 MiB, tracing on. */
    static Machine machine(KernelProfile p) {
        Machine m = Machine.create(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
        m.declareCmaArea("test", AREA, 16 * MIB, 0);
        m.boot();
        m.tracing().enable("all", true);
        return m;
    }

    static CmaArea area(Machine m) {
        return m.cma().areas().get(0);
    }

    static List<String> events(Machine m, String name) {
        return m.tracing().lines().stream().filter(l -> l.contains(" " + name + ": ")).toList();
    }

    static void assertAllocated(Machine m, long page, long count) {
        MemMap mm = m.memMap();
        for (long p = page; p < page + count; p++) {
            assertThat(mm.pageBuddy(p)).isFalse();
            assertThat(mm.pageCount(p)).isEqualTo(1);
        }
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** cma_alloc [6.1]: first fit from bit 0, aligned, bitmap marked; cma_alloc_start + cma_alloc_finish. */
    @Test
    void cmaAlloc_firstFitAligned_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long a = m.cma().cmaAlloc(area(m), 3, 1, false);
        long b = m.cma().cmaAlloc(area(m), 256, 8, false);
        assertThat(a).isEqualTo(pfn(AREA));
        assertThat(b).isEqualTo(pfn(AREA) + 256);
        assertAllocated(m, b, 256);
        assertThat(CmaDebug.used(area(m))).isEqualTo(259);
        assertThat(events(m, "cma_alloc_finish").get(1))
                .endsWith("name=test pfn=0x" + Long.toHexString(b) + " page=" + events(m, "cma_alloc_finish")
                        .get(1).replaceAll(".* page=(\\S+) .*", "$1") + " count=256 align=8");
    }

    /** cma_alloc [6.1]: -EBUSY from alloc_contig_range retries at bitmap_no + mask + 1, with cma_alloc_busy_retry. */
    @Test
    void cmaAlloc_retriesNextAlignedRange_onEbusy_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        assertThat(m.pageUsers().holdAt(pfn(AREA) + 10)).isTrue();
        long page = m.cma().cmaAlloc(area(m), 256, 8, false);
        assertThat(page).isEqualTo(pfn(AREA) + 256);
        assertThat(events(m, "cma_alloc_busy_retry")).singleElement().asString()
                .contains("pfn=0x" + Long.toHexString(pfn(AREA)));
        assertThat(events(m, "test_pages_isolated").get(0)).contains("fin_pfn=0x" + Long.toHexString(pfn(AREA) + 10)
                + " ret=fail");
        assertThat(area(m).allocPagesSuccess()).isEqualTo(256);
        assertAllocated(m, page, 256);
    }

    /** cma_alloc [6.1]: nothing fits: pfn -1 in cma_alloc_finish, -ENOMEM in the ratelimited printk, CMA_ALLOC_FAIL. */
    @Test
    void cmaAlloc_areaFull_failsWithEnomem_printk_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        assertThat(m.cma().cmaAlloc(area(m), 4096, 8, false)).isNotEqualTo(Page.NULL);
        assertThat(m.cma().cmaAlloc(area(m), 1, 0, false)).isEqualTo(Page.NULL);
        assertThat(events(m, "cma_alloc_finish").get(1)).contains("pfn=0xffffffffffffffff page=0000000000000000");
        assertThat(m.printk().lines()).contains("cma: cma_alloc: test: alloc failed, req-size: 1 pages, ret: -12");
        assertThat(new Vmstat(m.pageAlloc()).vmstat()).contains("cma_alloc_success 1\ncma_alloc_fail 1\n");
        assertThat(area(m).allocPagesFail()).isEqualTo(1);
    }

    /** cma_alloc [6.1]: count > area: cma_alloc_start then the early "goto out", no finish; no_warn keeps quiet. */
    @Test
    void cmaAlloc_largerThanArea_startWithoutFinish_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        assertThat(m.cma().cmaAlloc(area(m), 4097, 8, true)).isEqualTo(Page.NULL);
        assertThat(events(m, "cma_alloc_start")).hasSize(1);
        assertThat(events(m, "cma_alloc_finish")).isEmpty();
        assertThat(m.printk().lines()).noneMatch(l -> l.startsWith("cma:"));
    }

    /** __cma_alloc [6.12]: cma_alloc_finish carries errorno; the printk names __cma_alloc. */
    @Test
    void cmaAlloc_errornoAndFunctionName_6_12() {
        Machine m = machine(KernelProfile.V6_12);
        m.pageUsers().holdAt(pfn(AREA) + 4095);
        assertThat(m.cma().cmaAlloc(area(m), 4096, 8, false)).isEqualTo(Page.NULL);
        assertThat(events(m, "cma_alloc_finish").get(0)).endsWith("count=4096 align=8 errorno=-16");
        assertThat(m.printk().lines()).contains("cma: __cma_alloc: test: alloc failed, req-size: 4096 pages, ret: -16");
    }

    /** cma_alloc [5.10]: one cma:cma_alloc event at the end, no name; printk without the name; no vm events. */
    @Test
    void cmaAlloc_singleEventAndPrintk_5_10() {
        Machine m = machine(KernelProfile.V5_10);
        long page = m.cma().cmaAlloc(area(m), 16, 4, false);
        assertThat(events(m, "cma_alloc")).singleElement().asString()
                .matches(".*: cma_alloc: pfn=" + Long.toHexString(page) + " page=[0-9a-f]{16} count=16 align=4$");
        assertThat(m.cma().cmaAlloc(area(m), 4096, 8, false)).isEqualTo(Page.NULL);
        assertThat(m.printk().lines()).contains("cma: cma_alloc: alloc failed, req-size: 4096 pages, ret: -12");
        assertThat(new Vmstat(m.pageAlloc()).vmstat()).doesNotContain("cma_alloc");
        assertAllocated(m, page, 16);
    }

    /** cma_alloc [4.4]: no size check up front: an oversized request reaches the loop, traces pfn -1; no printk. */
    @Test
    void cmaAlloc_oversized_tracesAllOnes_noPrintk_4_4() {
        Machine m = machine(KernelProfile.V4_4);
        assertThat(m.cma().cmaAlloc(area(m), 8192, 8, false)).isEqualTo(Page.NULL);
        assertThat(events(m, "cma_alloc")).singleElement().asString().contains("pfn=ffffffff page=00000000");
        assertThat(m.printk().lines()).noneMatch(l -> l.startsWith("cma:"));
        long page = m.cma().cmaAlloc(area(m), 1024, 8, false);
        assertThat(page).isEqualTo(pfn(AREA));
        assertAllocated(m, page, 1024);
    }

    /** cma_release: frees the pages back to the CMA free lists, clears the bitmap, traces; outside/NULL: false. */
    @Test
    void cmaRelease_freesAndClears_rejectsForeignPages_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        long freeBefore = m.pageAlloc().globalNrFreeCmaPages();
        long page = m.cma().cmaAlloc(area(m), 512, 8, false);
        assertThat(m.cma().cmaRelease(area(m), Page.NULL, 512)).isFalse();
        assertThat(m.cma().cmaRelease(area(m), pfn(BASE), 1)).isFalse();
        assertThat(m.cma().cmaRelease(area(m), page, 512)).isTrue();
        assertThat(CmaDebug.used(area(m))).isZero();
        m.pageAlloc().pcp().drainAllPages(null);
        assertThat(m.pageAlloc().globalNrFreeCmaPages()).isEqualTo(freeBefore);
        assertThat(events(m, "cma_release")).singleElement().asString().contains("name=test pfn=0x"
                + Long.toHexString(page));
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** cma_alloc: an error other than -EBUSY (-EINTR from a fatal signal) ends the search at once. */
    @Test
    void cmaAlloc_eintr_endsSearch_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        dev.dmatrace.kernel.sched.Current.sendFatalSignal(true);
        try {
            assertThat(m.cma().cmaAlloc(area(m), 256, 8, false)).isEqualTo(Page.NULL);
        } finally {
            dev.dmatrace.kernel.sched.Current.sendFatalSignal(false);
        }
        assertThat(events(m, "cma_alloc_busy_retry")).isEmpty();
        assertThat(m.printk().lines()).contains("cma: cma_alloc: test: alloc failed, req-size: 256 pages, ret: -"
                + Errno.EINTR);
        assertThat(CmaDebug.used(area(m))).isZero();
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** bitmap_find_next_zero_area_off(): aligned first fit, skipping set bits; "not found" is a value >= size. */
    @Test
    void bitmapFindNextZeroAreaOff_alignsAndSkips() {
        java.util.BitSet map = new java.util.BitSet();
        map.set(0, 3);
        assertThat(Cma.bitmapFindNextZeroAreaOff(map, 64, 0, 4, 3, 0)).isEqualTo(4);
        assertThat(Cma.bitmapFindNextZeroAreaOff(map, 64, 0, 4, 3, 1)).isEqualTo(3);
        assertThat(Cma.bitmapFindNextZeroAreaOff(map, 64, 0, 61, 0, 0)).isEqualTo(3);
        assertThat(Cma.bitmapFindNextZeroAreaOff(map, 64, 0, 62, 0, 0)).isGreaterThanOrEqualTo(64);
        map.set(5);
        assertThat(Cma.bitmapFindNextZeroAreaOff(map, 64, 0, 4, 3, 0)).isEqualTo(8);
    }

    /** order_per_bit 2: one bit per 4 pages, counts rounded up; the debugfs views count pages. */
    @Test
    void orderPerBit_roundsToBits_debugfsViews_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        CmaArea a = m.declareCmaArea("opb", AREA, 16 * MIB, 2);
        m.boot();
        long p1 = m.cma().cmaAlloc(a, 5, 0, false);
        long p2 = m.cma().cmaAlloc(a, 1, 0, false);
        assertThat(p2 - p1).isEqualTo(8);
        assertThat(CmaDebug.used(a)).isEqualTo(12);
        assertThat(CmaDebug.maxchunk(a)).isEqualTo(4096 - 12);
        assertThat(CmaDebug.bitmap(a)).startsWith("7 ");
        assertThat(CmaDebug.dirName(m.pageAlloc().profile(), 0, a)).isEqualTo("opb");
        assertThat(CmaDebug.dirName(KernelProfile.V5_10, 0, a)).isEqualTo("cma-opb");
        assertThat(CmaDebug.dirName(KernelProfile.V4_4, 3, a)).isEqualTo("cma-3");
    }

    /** /proc/meminfo CmaTotal/CmaFree: a cma_alloc takes its pages out of CmaFree, cma_release gives them back. */
    @Test
    void meminfo_cmaFree_followsAllocAndRelease_6_1() {
        Machine m = machine(KernelProfile.V6_1);
        dev.dmatrace.kernel.fs.proc.Meminfo meminfo = new dev.dmatrace.kernel.fs.proc.Meminfo(m.pageAlloc());
        assertThat(meminfo.show()).contains("CmaTotal:          16384 kB\nCmaFree:           16384 kB\n");
        long page = m.cma().cmaAlloc(area(m), 1024, 8, false);
        assertThat(meminfo.show()).contains("CmaFree:           12288 kB\n");
        m.cma().cmaRelease(area(m), page, 1024);
        m.pageAlloc().pcp().drainAllPages(null);
        assertThat(meminfo.show()).contains("CmaFree:           16384 kB\n");
    }

    /** Several areas: each has its own bitmap; the same range offset in two areas are different pages. */
    @Test
    void severalAreas_independentBitmaps_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        CmaArea a = m.declareCmaArea("a", AREA, 8 * MIB, 0);
        CmaArea b = m.declareCmaArea("b", AREA + 8 * MIB, 8 * MIB, 0);
        m.boot();
        long pa = m.cma().cmaAlloc(a, 2048, 8, false);
        long pb = m.cma().cmaAlloc(b, 2048, 8, false);
        assertThat(pa).isEqualTo(pfn(AREA));
        assertThat(pb).isEqualTo(pfn(AREA + 8 * MIB));
        assertThat(m.cma().cmaAlloc(a, 1, 0, true)).isEqualTo(Page.NULL);
        assertThat(m.cma().cmaRelease(a, pb, 2048)).as("not a's pages").isFalse();
        assertThat(m.cma().cmaRelease(b, pb, 2048)).isTrue();
        assertThat(CmaDebug.used(a)).isEqualTo(2048);
        assertThat(CmaDebug.used(b)).isZero();
    }
}
