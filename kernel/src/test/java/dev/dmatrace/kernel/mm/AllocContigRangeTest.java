package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.CmaAllocTest.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mm/page_alloc.c alloc_contig_range() and __alloc_contig_migrate_range() with the page users that make it
 * fail or succeed: migrated anon/shmem/dirty pages, reclaimed clean file pages, short and long-term pins.
 */
class AllocContigRangeTest {

    /** Movable user pages until one lands in the first pageblock of the CMA area; returns the ones that did. */
    static List<Long> fillArea(Machine m, byte kind, int n) {
        List<Long> inArea = new ArrayList<>();
        long base = pfn(AREA);
        while (inArea.size() < n) {
            long p = m.pageUsers().alloc(kind);
            assertThat(p).isNotEqualTo(Page.NULL);
            if (p >= base && p < base + 512) {
                inArea.add(p);
            }
        }
        return inArea;
    }

    /** 64 MiB with 48 MiB CMA: movable allocations prefer CMA (more than half of free memory is CMA). */
    static Machine mostlyCma(KernelProfile p) {
        Machine m = Machine.create(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
        m.declareCmaArea("test", AREA - 16 * MIB, 48 * MIB, 0);
        m.boot();
        m.tracing().enable("all", true);
        return m;
    }

    private static void assertRangeAllocatedAndUsersIntact(Machine m, long start, long end, List<Long> contents,
            byte kind) {
        for (long p = start; p < end; p++) {
            assertThat(m.memMap().pageBuddy(p)).isFalse();
            assertThat(m.memMap().pageCount(p)).isEqualTo(1);
            assertThat(m.memMap().owner(p)).isEqualTo(Page.OWNER_KERNEL);
        }
        for (long c : contents) {
            long now = m.pageUsers().pfnOf(c);
            assertThat(now != Page.NULL && (now < start || now >= end)).isTrue();
            assertThat(m.memMap().content(now)).isEqualTo(c);
            assertThat(m.memMap().owner(now)).isEqualTo(kind);
            assertThat(m.memMap().testFlag(now, Page.PG_LRU)).isTrue();
        }
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    private static List<Long> contents(Machine m, List<Long> pfns) {
        return pfns.stream().map(m.memMap()::content).toList();
    }

    /** [6.1] anon pages in the range migrate (MIGRATE_SYNC, reason contig_range) and keep owner and contents. */
    @Test
    void allocContigRange_migratesAnonPages_keepsOwnerAndContents_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        List<Long> pages = fillArea(m, Page.OWNER_ANON, 40);
        List<Long> contents = contents(m, pages);
        long start = pfn(AREA);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        assertRangeAllocatedAndUsersIntact(m, start, start + 512, contents, Page.OWNER_ANON);
        List<String> migrate = events(m, "mm_migrate_pages");
        assertThat(migrate).allMatch(l -> l.endsWith("mode=MIGRATE_SYNC reason=contig_range"));
        assertThat(migrate.get(0)).contains("nr_succeeded=32 nr_failed=0 nr_thp_succeeded=0");
        assertThat(events(m, "mm_migrate_pages_start")).hasSameSizeAs(migrate);
        assertThat(new Vmstat(m.pageAlloc()).vmstat()).contains("pgmigrate_success " + pages.size());
    }

    /** [4.4] reason "cma" and the 4.4 mm_migrate_pages format (no THP fields). */
    @Test
    void allocContigRange_reasonCma_noThpFields_4_4() {
        Machine m = mostlyCma(KernelProfile.V4_4);
        List<Long> contents = contents(m, fillArea(m, Page.OWNER_SHMEM, 5));
        long start = pfn(AREA) & ~1023L;
        assertThat(m.contig().allocContigRange(start, start + 1024, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        assertRangeAllocatedAndUsersIntact(m, start, start + 1024, contents, Page.OWNER_SHMEM);
        assertThat(events(m, "mm_migrate_pages")).allMatch(l -> l.matches(
                ".*: mm_migrate_pages: nr_succeeded=\\d+ nr_failed=0 mode=MIGRATE_SYNC reason=cma$"));
        assertThat(events(m, "test_pages_isolated")).isEmpty();
    }

    /** reclaim_clean_pages_from_list(): clean file pages are dropped, dirty ones migrated (and stay dirty). */
    @Test
    void allocContigRange_reclaimsCleanFilePages_migratesDirtyOnes_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        List<Long> clean = contents(m, fillArea(m, Page.OWNER_PAGECACHE_CLEAN, 10));
        List<Long> dirty = contents(m, fillArea(m, Page.OWNER_PAGECACHE_DIRTY, 10));
        long start = pfn(AREA);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        for (long c : clean) {
            long now = m.pageUsers().pfnOf(c);
            assertThat(now == Page.NULL || now < start || now >= start + 512).isTrue();
        }
        assertThat(clean.stream().filter(c -> m.pageUsers().pfnOf(c) == Page.NULL).count()).isEqualTo(10);
        assertRangeAllocatedAndUsersIntact(m, start, start + 512, dirty, Page.OWNER_PAGECACHE_DIRTY);
        assertThat(dirty).allMatch(c -> m.memMap().testFlag(m.pageUsers().pfnOf(c), Page.PG_DIRTY));
    }

    /** A long-term pin on an LRU page: migrate_pages gives up after 10 passes, 5 rounds: -EBUSY; test fails there. */
    @Test
    void allocContigRange_longTermPin_ebusy_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long pinned = fillArea(m, Page.OWNER_SHMEM, 1).get(0);
        m.pageUsers().pin(pinned, PageUsers.LONG_TERM);
        long start = pfn(AREA);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL))
                .isEqualTo(-Errno.EBUSY);
        assertThat(events(m, "mm_migrate_pages")).hasSize(5)
                .allMatch(l -> l.contains("nr_succeeded=0 nr_failed=1"));
        assertThat(events(m, "test_pages_isolated")).singleElement().asString()
                .contains("fin_pfn=0x" + Long.toHexString(pinned) + " ret=fail");
        assertThat(m.memMap().testFlag(pinned, Page.PG_LRU)).isTrue();
        assertThat(m.memMap().pageCount(pinned)).isEqualTo(2);
        assertThat(m.memMap().getPageblockMigratetype(start)).isEqualTo(MIGRATE_CMA);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        m.pageUsers().unpinLongTerm(pinned);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
    }

    /** A pinned anonymous page is not even isolated (more references than mappings): test_pages_isolated fails. */
    @Test
    void allocContigRange_pinnedAnonNotIsolated_ebusy_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long pinned = fillArea(m, Page.OWNER_ANON, 1).get(0);
        m.pageUsers().pin(pinned, PageUsers.LONG_TERM);
        long start = pfn(AREA);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL))
                .isEqualTo(-Errno.EBUSY);
        assertThat(events(m, "mm_migrate_pages")).allMatch(l -> l.contains("nr_succeeded=0 nr_failed=0"));
    }

    /** A short pin lets go after some migration attempts: the page moves in a later pass, nothing fails. */
    @Test
    void allocContigRange_shortPin_releasedDuringPasses_succeeds_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long pinned = fillArea(m, Page.OWNER_SHMEM, 1).get(0);
        long content = m.memMap().content(pinned);
        m.pageUsers().pin(pinned, 3);
        long start = pfn(AREA);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        assertThat(events(m, "mm_migrate_pages").get(0)).contains("nr_succeeded=1 nr_failed=0");
        assertThat(m.memMap().content(m.pageUsers().pfnOf(content))).isEqualTo(content);
    }

    /** [4.4] a migration -EBUSY is final: no test_pages_isolated walk, the 4.4 "PFNs busy" printk not reached. */
    @Test
    void allocContigRange_migrationEbusyIsFinal_4_4() {
        Machine m = mostlyCma(KernelProfile.V4_4);
        long pinned = fillArea(m, Page.OWNER_SHMEM, 1).get(0);
        m.pageUsers().pin(pinned, PageUsers.LONG_TERM);
        long start = pfn(AREA) & ~1023L;
        assertThat(m.contig().allocContigRange(start, start + 1024, MIGRATE_CMA, Gfp.GFP_KERNEL))
                .isEqualTo(-Errno.EBUSY);
        assertThat(m.printk().lines()).noneMatch(l -> l.contains("PFNs busy"));
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** [5.10] a page held off the LRU: test_pages_isolated fails, "alloc_contig_range: [%lx, %lx) PFNs busy". */
    @Test
    void allocContigRange_heldPage_pfnsBusyPrintk_5_10() {
        Machine m = mostlyCma(KernelProfile.V5_10);
        long start = pfn(AREA);
        m.pageUsers().holdAt(start + 700);
        assertThat(m.contig().allocContigRange(start, start + 1024, MIGRATE_CMA, Gfp.GFP_KERNEL))
                .isEqualTo(-Errno.EBUSY);
        assertThat(m.printk().lines()).contains(String.format("alloc_contig_range: [%x, %x) PFNs busy", start,
                start + 1024));
        assertThat(events(m, "test_pages_isolated")).singleElement().asString().contains("ret=fail");
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** Head and tail of the surrounding free blocks go back to the buddy allocator: only [start, end) is taken. */
    @Test
    void allocContigRange_givesBackHeadAndTail_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long free = m.pageAlloc().globalNrFreePages();
        long start = pfn(AREA) + 100;
        assertThat(m.contig().allocContigRange(start, start + 7, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        assertThat(m.pageAlloc().globalNrFreePages()).isEqualTo(free - 7);
        assertThat(m.memMap().pageBuddy(start - 1) || m.memMap().pageCount(start - 1) == 0).isTrue();
        m.pageAlloc().free().freeContigRange(start, 7);
        m.pageAlloc().pcp().drainAllPages(null);
        assertThat(m.pageAlloc().globalNrFreePages()).isEqualTo(free);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** migrate_pages -ENOMEM: no target page anywhere; [6.1] __alloc_contig_migrate_range stops at once. */
    @Test
    void allocContigRange_noTargetPages_enomem_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        m.declareCmaArea("test", BASE + 32 * MIB, 32 * MIB, 0);
        m.boot();
        m.tracing().enable("all", true);
        while (m.pageUsers().alloc(Page.OWNER_SHMEM) != Page.NULL) {
            // fill every page a movable request may take
        }
        long start = pfn(BASE + 32 * MIB);
        assertThat(m.contig().allocContigRange(start, start + 512, MIGRATE_CMA, Gfp.GFP_KERNEL))
                .isEqualTo(-Errno.ENOMEM);
        // one call, stopped by the first page without a target (a page or so may still have found one)
        assertThat(events(m, "mm_migrate_pages")).singleElement().asString().contains(" nr_failed=1 ");
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** placeAt(): user pages on every other pfn of a range; alloc_contig_range migrates exactly those. */
    @Test
    void allocContigRange_everyOtherPagePlaced_migratesThemAll_6_1() {
        Machine m = mostlyCma(KernelProfile.V6_1);
        long start = pfn(AREA);
        List<Long> contents = new ArrayList<>();
        for (long p = start; p < start + 256; p += 2) {
            assertThat(m.pageUsers().placeAt(p, Page.OWNER_ANON)).isTrue();
            contents.add(m.memMap().content(p));
        }
        assertThat(m.pageUsers().placeAt(start, Page.OWNER_ANON)).as("not free any more").isFalse();
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        assertThat(m.contig().allocContigRange(start, start + 256, MIGRATE_CMA, Gfp.GFP_KERNEL)).isZero();
        assertRangeAllocatedAndUsersIntact(m, start, start + 256, contents, Page.OWNER_ANON);
        assertThat(m.pageAlloc().vmEvents().sum(VmEvents.PGMIGRATE_SUCCESS)).isEqualTo(128);
    }
}
