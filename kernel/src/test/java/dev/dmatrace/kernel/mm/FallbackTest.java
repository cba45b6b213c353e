package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** __rmqueue_fallback / find_suitable_fallback / can_steal_fallback / steal_suitable_fallback decisions. */
class FallbackTest {

    /** A 16 MiB 6.1 arm64 machine: one DMA zone, 8 pageblocks of 512 pages, all free in four order-10 blocks. */
    private final Machine m = boot(arm64(KernelProfile.V6_1, 16));
    private final PageAlloc pa = m.pageAlloc();
    private final Zone z = pa.zone(Zone.ZONE_DMA);

    @Test
    void canStealFallback_wholePageblockOrder_always_6_1() {
        assertThat(pa.fallback.canStealFallback(9, MIGRATE_MOVABLE)).isTrue();
        assertThat(pa.fallback.canStealFallback(10, MIGRATE_MOVABLE)).isTrue();
    }

    @Test
    void canStealFallback_halfPageblockOrder_orUnmovableOrReclaimable_6_1() {
        assertThat(pa.fallback.canStealFallback(4, MIGRATE_MOVABLE)).isTrue(); // 9 / 2 = 4
        assertThat(pa.fallback.canStealFallback(3, MIGRATE_MOVABLE)).isFalse();
        assertThat(pa.fallback.canStealFallback(0, MIGRATE_UNMOVABLE)).isTrue();
        assertThat(pa.fallback.canStealFallback(0, MIGRATE_RECLAIMABLE)).isTrue();
    }

    @Test
    void canStealFallback_mobilityGroupingDisabled_stealsAnything_6_1() {
        pa.pageGroupByMobilityDisabled = true;
        assertThat(pa.fallback.canStealFallback(0, MIGRATE_MOVABLE)).isTrue();
    }

    @Test
    void findSuitableFallback_followsTheFallbacksTable_6_1() {
        boolean[] canSteal = new boolean[1];
        // only MOVABLE blocks are free: UNMOVABLE falls back to it (RECLAIMABLE is empty), RECLAIMABLE too
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 10, MIGRATE_UNMOVABLE, false, canSteal))
                .isEqualTo(MIGRATE_MOVABLE);
        assertThat(canSteal[0]).isTrue();
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 10, MIGRATE_MOVABLE, false, canSteal))
                .isEqualTo(-1);
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 3, MIGRATE_UNMOVABLE, false, canSteal))
                .as("nr_free of order 3 is 0").isEqualTo(-1);
    }

    /** fallbacks[]: RECLAIMABLE tries UNMOVABLE before MOVABLE; MOVABLE tries RECLAIMABLE, then UNMOVABLE. */
    @Test
    void findSuitableFallback_takesTheTableOrder_6_1() {
        assertThat(fallback(pa, z, 0, MIGRATE_UNMOVABLE)).isTrue(); // one order-10 block becomes UNMOVABLE
        boolean[] canSteal = new boolean[1];
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 10, MIGRATE_RECLAIMABLE, false, canSteal))
                .isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 10, MIGRATE_MOVABLE, false, canSteal))
                .isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 10, MIGRATE_UNMOVABLE, false, canSteal))
                .isEqualTo(MIGRATE_MOVABLE);
        // split the UNMOVABLE block so that an order-3 UNMOVABLE block is free
        z.lock.lock();
        try {
            assertThat(pa.rmqueueSmallest(z, 3, MIGRATE_UNMOVABLE)).isNotEqualTo(Page.NULL);
        } finally {
            z.lock.unlock();
        }
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 3, MIGRATE_MOVABLE, false, canSteal))
                .isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(canSteal[0]).isFalse();
        // only_stealable: MOVABLE may not steal at order 3, so nothing qualifies
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 3, MIGRATE_MOVABLE, true, canSteal)).isEqualTo(-1);
        assertThat(pa.fallback.findSuitableFallback(z.freeArea, 4, MIGRATE_MOVABLE, true, canSteal))
                .isEqualTo(MIGRATE_UNMOVABLE);
    }

    @Test
    void rmqueueFallback_stealsWholeBlock_whenOrderAtLeastPageblockOrder_6_1() {
        m.tracing().enable("kmem/mm_page_alloc_extfrag", true);
        long first = z.freeArea.getPageFromFreeArea(10, MIGRATE_MOVABLE);
        assertThat(fallback(pa, z, 0, MIGRATE_UNMOVABLE)).isTrue();
        // change_pageblock_range(): both pageblocks of the order-10 block, then the block moves to UNMOVABLE
        assertThat(m.memMap().getPageblockMigratetype(first)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(m.memMap().getPageblockMigratetype(first + 512)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(z.freeArea.getPageFromFreeArea(10, MIGRATE_UNMOVABLE)).isEqualTo(first);
        assertThat(m.tracing().lines()).singleElement().asString().endsWith("mm_page_alloc_extfrag: page="
                + m.tracing().lines().get(0).replaceAll(".*page=([0-9a-f]+) .*", "$1") + " pfn=0x"
                + Long.toHexString(first) + " alloc_order=0 fallback_order=10 pageblock_order=9 alloc_migratetype=0"
                + " fallback_migratetype=1 fragmenting=0 change_ownership=1");
    }

    /** Leaves only one partly used MOVABLE pageblock with an 8-page free block, whose used pages are LRU or not. */
    private long partlyFreeMovableBlock(boolean usedPagesOnLru) {
        for (int i = 0; i < 3; i++) {
            take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 10);
        }
        long a = take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        long b = take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        assertThat(b).isEqualTo(a + 512);
        assertThat(pa.globalNrFreePages()).isZero();
        pa.free.splitPage(b, 9);
        for (long p = b; p < b + 512; p++) {
            if (usedPagesOnLru) {
                m.memMap().setFlag(p, Page.PG_LRU);
            }
        }
        for (long p = b; p < b + 8; p++) {
            m.memMap().clearFlag(p, Page.PG_LRU);
            pa.free.freePage(p);
        }
        pa.pcp.drainAllPages(null);
        assertThat(countOnList(z, 3, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(DebugVm.check(pa)).isEmpty();
        return b;
    }

    @Test
    void stealSuitableFallback_claimsBlock_whenFreePlusAlikeAtLeastHalf_6_1() {
        long b = partlyFreeMovableBlock(false);
        m.tracing().enable("kmem", true);
        assertThat(fallback(pa, z, 0, MIGRATE_UNMOVABLE)).isTrue();
        // free 8 + alike (non-free, non-movable pages of an old MOVABLE block) 504 >= 256
        assertThat(m.memMap().getPageblockMigratetype(b)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(countOnList(z, 3, MIGRATE_UNMOVABLE)).isEqualTo(1);
        assertThat(m.tracing().lines()).singleElement().asString()
                .contains("alloc_order=0 fallback_order=3 pageblock_order=9 alloc_migratetype=0 "
                        + "fallback_migratetype=1 fragmenting=1 change_ownership=1");
        assertThat(z.watermarkBoost()).as("boost_watermark() for a sub-pageblock steal").isEqualTo(512);
    }

    @Test
    void stealSuitableFallback_movesFreePagesButKeepsType_whenLessThanHalfAlike_6_1() {
        long b = partlyFreeMovableBlock(true);
        m.tracing().enable("kmem", true);
        assertThat(fallback(pa, z, 0, MIGRATE_UNMOVABLE)).isTrue();
        // free 8, movable (LRU) 504, alike = 512 - 512 = 0: 8 < 256, no claim; the free pages moved anyway
        assertThat(m.memMap().getPageblockMigratetype(b)).isEqualTo(MIGRATE_MOVABLE);
        assertThat(countOnList(z, 3, MIGRATE_UNMOVABLE)).isEqualTo(1);
        assertThat(m.tracing().lines()).singleElement().asString().endsWith("fragmenting=1 change_ownership=0");
    }

    @Test
    void rmqueueFallback_movableSmallRequest_takesSmallestBlock_6_1() {
        for (int i = 0; i < 4; i++) {
            take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 10);
        }
        long x = m.memMap().startPfn();
        m.memMap().setPageblockMigratetype(x, MIGRATE_UNMOVABLE);
        pa.free.splitPage(x, 10);
        for (long p : List.of(x + 8, x + 9, x + 10, x + 11, x + 12, x + 13, x + 14, x + 15, x + 2, x + 3)) {
            pa.free.freePage(p);
        }
        pa.pcp.drainAllPages(null);
        assertThat(countOnList(z, 3, MIGRATE_UNMOVABLE)).isEqualTo(1);
        assertThat(countOnList(z, 1, MIGRATE_UNMOVABLE)).isEqualTo(1);
        m.tracing().enable("kmem/mm_page_alloc_extfrag", true);
        // the largest fallback block (order 3) may not be stolen by MOVABLE order 0: find_smallest takes order 1
        assertThat(fallback(pa, z, 0, MIGRATE_MOVABLE)).isTrue();
        assertThat(countOnList(z, 1, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(countOnList(z, 3, MIGRATE_UNMOVABLE)).isEqualTo(1);
        assertThat(m.memMap().getPageblockMigratetype(x)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(m.tracing().lines()).singleElement().asString()
                .contains("pfn=0x" + Long.toHexString(x + 2) + " alloc_order=0 fallback_order=1")
                .endsWith("fragmenting=1 change_ownership=0");
    }

    @Test
    void rmqueueFallback_nofragment_refusesBlocksBelowPageblockOrder_6_1() {
        long b = partlyFreeMovableBlock(false);
        z.lock.lock();
        try {
            assertThat(pa.fallback.rmqueueFallback(z, 0, MIGRATE_UNMOVABLE, AllocFlags.ALLOC_NOFRAGMENT)).isFalse();
        } finally {
            z.lock.unlock();
        }
        assertThat(m.memMap().getPageblockMigratetype(b)).isEqualTo(MIGRATE_MOVABLE);
    }

    @Test
    void rmqueueFallback_44_stealsWholeBlock_andExpandsOntoRequestedType() {
        Machine m44 = boot(arm(KernelProfile.V4_4, 16));
        PageAlloc p44 = m44.pageAlloc();
        Zone n = p44.zone(Zone.ZONE_NORMAL);
        m44.tracing().enable("kmem/mm_page_alloc_extfrag", true);
        long first = n.freeArea.getPageFromFreeArea(10, MIGRATE_MOVABLE);
        long page;
        n.lock.lock();
        try {
            page = p44.fallback.rmqueueFallback44(n, 0, MIGRATE_UNMOVABLE);
            n.modZoneFreepageState(-1, MIGRATE_UNMOVABLE);
        } finally {
            n.lock.unlock();
        }
        assertThat(page).isEqualTo(first);
        assertThat(m44.memMap().getPageblockMigratetype(first)).isEqualTo(MIGRATE_UNMOVABLE);
        for (int o = 0; o < 10; o++) {
            assertThat(countOnList(n, o, MIGRATE_UNMOVABLE)).as("order %d", o).isEqualTo(1);
        }
        assertThat(m44.tracing().lines()).singleElement().asString().contains("mm_page_alloc_extfrag: page=")
                .endsWith(" pfn=" + first + " alloc_order=0 fallback_order=10 pageblock_order=10 alloc_migratetype=0"
                        + " fallback_migratetype=1 fragmenting=0 change_ownership=1");
    }
}
