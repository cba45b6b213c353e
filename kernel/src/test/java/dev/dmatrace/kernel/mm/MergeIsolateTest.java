package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import org.junit.jupiter.api.Test;

/** __free_one_page() next to ISOLATE pageblocks, per version; isolation done by hand as set_migratetype_isolate would. */
class MergeIsolateTest {

    private record Setup(Machine m, PageAlloc pa, Zone z, long a, long b) {
    }

    /** An order-10 block split: A (order 9) allocated, B (its buddy pageblock) free; then B's block isolated. */
    private static Setup isolatedFreeBuddy(KernelProfile p) {
        Machine m = boot(arm64(p, 4));
        PageAlloc pa = m.pageAlloc();
        Zone z = pa.zone(Zone.ZONE_DMA);
        long a = take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        long b = a ^ 512;
        z.lock.lock();
        try {
            m.memMap().setPageblockMigratetype(b, MIGRATE_ISOLATE);
            z.modNrIsolatePageblock(1);
            int moved = pa.fallback.moveFreepagesBlock(z, b, MIGRATE_ISOLATE, null);
            z.modZoneFreepageState(-moved, MIGRATE_MOVABLE);
        } finally {
            z.lock.unlock();
        }
        return new Setup(m, pa, z, a, b);
    }

    @Test
    void freeOnePage_movableBlockDoesNotMergeWithIsolatedBuddy_6_1() {
        Setup s = isolatedFreeBuddy(KernelProfile.V6_1);
        s.pa().free().freePages(s.a(), 9);
        assertThat(countOnList(s.z(), 9, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(countOnList(s.z(), 9, MIGRATE_ISOLATE)).isEqualTo(1);
        assertThat(DebugVm.check(s.pa())).isEmpty();
    }

    @Test
    void freeOnePage_movableBlockDoesNotMergeWithIsolatedBuddy_5_10() {
        Setup s = isolatedFreeBuddy(KernelProfile.V5_10);
        s.pa().free().freePages(s.a(), 9);
        assertThat(countOnList(s.z(), 9, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(countOnList(s.z(), 9, MIGRATE_ISOLATE)).isEqualTo(1);
        assertThat(DebugVm.check(s.pa())).isEmpty();
    }

    /** [4.4] only a page freed *into* an ISOLATE block is held at pageblock_order; this direction merges. */
    @Test
    void freeOnePage_movableBlockMergesWithIsolatedBuddy_4_4() {
        Setup s = isolatedFreeBuddy(KernelProfile.V4_4);
        s.pa().free().freePages(s.a(), 9);
        assertThat(countOnList(s.z(), 10, MIGRATE_MOVABLE)).isEqualTo(1);
        assertThat(countOnList(s.z(), 9, MIGRATE_ISOLATE)).isZero();
    }

    @Test
    void freeOnePage_pageFreedIntoIsolateBlock_notCounted_andNotMerged_allVersions() {
        for (KernelProfile p : new KernelProfile[] {KernelProfile.V4_4, KernelProfile.V5_10, KernelProfile.V6_1}) {
            Machine m = boot(arm64(p, 4));
            PageAlloc pa = m.pageAlloc();
            Zone z = pa.zone(Zone.ZONE_DMA);
            long a = take(pa, Gfp.GFP_HIGHUSER_MOVABLE, 9);
            long freeBefore = z.nrFreePages();
            z.lock.lock();
            try {
                m.memMap().setPageblockMigratetype(a, MIGRATE_ISOLATE);
                z.modNrIsolatePageblock(1);
            } finally {
                z.lock.unlock();
            }
            pa.free().freePages(a, 9);
            assertThat(z.nrFreePages()).as(p.version()).isEqualTo(freeBefore);
            assertThat(countOnList(z, 9, MIGRATE_ISOLATE)).as(p.version()).isEqualTo(1);
            assertThat(DebugVm.check(pa)).as(p.version()).isEmpty();
        }
    }
}
