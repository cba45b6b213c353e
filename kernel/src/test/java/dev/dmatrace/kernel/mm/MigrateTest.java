package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.CmaAllocTest.*;
import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mm/migrate.c migrate_pages() / unmap_and_move() / __unmap_and_move() on lists built by hand. */
class MigrateTest {

    /** A user page taken off the LRU with the isolation's reference, as isolate_migratepages_block() leaves it. */
    private static long isolated(Machine m, byte kind) {
        long p = m.pageUsers().alloc(kind);
        m.memMap().setPageCount(p, m.memMap().pageCount(p) + 1);
        m.memMap().clearFlag(p, Page.PG_LRU);
        return p;
    }

    private static Machine plain(KernelProfile p) {
        Machine m = Machine.boot(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
        m.tracing().enable("migrate", true);
        return m;
    }

    /** A page lock is waited for only from the fourth pass (force): one pass of -EAGAIN x3, then success. */
    @Test
    void migratePages_lockedPage_waitsFromFourthPass_6_1() {
        Machine m = plain(KernelProfile.V6_1);
        long p = isolated(m, Page.OWNER_ANON);
        long content = m.memMap().content(p);
        m.pageUsers().lockPage(p);
        List<Long> from = new ArrayList<>(List.of(p));
        assertThat(m.migrate().migratePages(from, Migrate.MIGRATE_SYNC, "contig_range")).isZero();
        assertThat(from).isEmpty();
        assertThat(m.pageUsers().clock()).isEqualTo(1);
        long now = m.pageUsers().pfnOf(content);
        assertThat(now).isNotEqualTo(p);
        assertThat(m.memMap().owner(now)).isEqualTo(Page.OWNER_ANON);
        assertThat(m.memMap().mapcount(now)).isEqualTo(1);
        assertThat(m.memMap().pageBuddy(p) || m.memMap().pageCount(p) == 0).isTrue();
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** MIGRATE_ASYNC never sleeps on a page lock: still -EAGAIN after 10 passes, counted failed, left on the list. */
    @Test
    void migratePages_asyncLocked_failsAfterTenPasses_staysOnList_6_1() {
        Machine m = plain(KernelProfile.V6_1);
        long p = isolated(m, Page.OWNER_SHMEM);
        m.pageUsers().lockPage(p);
        List<Long> from = new ArrayList<>(List.of(p));
        assertThat(m.migrate().migratePages(from, Migrate.MIGRATE_ASYNC, "compaction")).isEqualTo(1);
        assertThat(from).containsExactly(p);
        assertThat(events(m, "mm_migrate_pages")).singleElement().asString()
                .contains("nr_succeeded=0 nr_failed=1").contains("mode=MIGRATE_ASYNC reason=compaction");
        m.migrate().putbackMovablePages(from);
        assertThat(m.memMap().testFlag(p, Page.PG_LRU)).isTrue();
        assertThat(m.memMap().pageCount(p)).isEqualTo(1);
    }

    /** Writeback: -EBUSY (permanent) in an async mode; [6.1] the page comes back on the list, [5.10] to the LRU. */
    @Test
    void migratePages_writebackAsync_permanentFailure_perVersion() {
        for (KernelProfile v : new KernelProfile[] {KernelProfile.V6_1, KernelProfile.V5_10}) {
            Machine m = plain(v);
            long p = isolated(m, Page.OWNER_PAGECACHE_DIRTY);
            m.pageUsers().startWriteback(p);
            List<Long> from = new ArrayList<>(List.of(p));
            assertThat(m.migrate().migratePages(from, Migrate.MIGRATE_ASYNC, "compaction")).isEqualTo(1);
            if (v == KernelProfile.V6_1) {
                assertThat(from).containsExactly(p);
                m.migrate().putbackMovablePages(from);
            } else {
                assertThat(from).isEmpty();
            }
            assertThat(m.memMap().testFlag(p, Page.PG_LRU)).isTrue();
            assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        }
    }

    /** Writeback in MIGRATE_SYNC: waited for from the fourth pass; the page is clean afterwards. */
    @Test
    void migratePages_writebackSync_waitsThenMoves_6_1() {
        Machine m = plain(KernelProfile.V6_1);
        long p = isolated(m, Page.OWNER_PAGECACHE_DIRTY);
        long content = m.memMap().content(p);
        m.pageUsers().startWriteback(p);
        assertThat(m.migrate().migratePages(new ArrayList<>(List.of(p)), Migrate.MIGRATE_SYNC, "x")).isZero();
        long now = m.pageUsers().pfnOf(content);
        assertThat(m.memMap().testFlag(now, Page.PG_DIRTY)).isFalse();
        assertThat(m.memMap().owner(now)).isEqualTo(Page.OWNER_PAGECACHE_CLEAN);
    }

    /** unmap_and_move: a page its owner freed meanwhile (only the isolation's reference left) counts as migrated. */
    @Test
    void unmapAndMove_pageFreedUnderUs_success_5_10_and_4_4() {
        for (KernelProfile v : new KernelProfile[] {KernelProfile.V5_10, KernelProfile.V4_4}) {
            Machine m = plain(v);
            long p = isolated(m, Page.OWNER_ANON);
            m.pageAlloc().pcp().drainAllPages(null);
            long free = m.pageAlloc().globalNrFreePages();
            m.pageUsers().free(m.memMap().content(p));
            List<Long> from = new ArrayList<>(List.of(p));
            assertThat(m.migrate().migratePages(from, Migrate.MIGRATE_SYNC, "cma")).isZero();
            m.pageAlloc().pcp().drainAllPages(null);
            assertThat(m.pageAlloc().globalNrFreePages()).as(v.toString()).isEqualTo(free + 1);
            assertThat(events(m, "mm_migrate_pages").get(0)).contains("nr_succeeded=1 nr_failed=0");
            assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        }
    }

    /** 4.4 counts list entries without THP fields: "nr_succeeded=%lu nr_failed=%lu mode=%s reason=%s". */
    @Test
    void mmMigratePages_format_4_4() {
        Machine m = plain(KernelProfile.V4_4);
        long p = isolated(m, Page.OWNER_ANON);
        m.migrate().migratePages(new ArrayList<>(List.of(p)), Migrate.MIGRATE_SYNC, m.migrate().contigRangeReason());
        assertThat(events(m, "mm_migrate_pages")).singleElement().asString()
                .endsWith(": mm_migrate_pages: nr_succeeded=1 nr_failed=0 mode=MIGRATE_SYNC reason=cma");
        assertThat(events(m, "mm_migrate_pages_start")).isEmpty();
    }

    /**
     * migrate_pages: at most 10 passes. A pin that lets go at its 9th sighting is gone for the 10th pass, which
     * migrates the page; one that lets go at its 10th sighting is still there in the last pass: 1 failed.
     */
    @Test
    void migratePages_tenPassLimit_6_1() {
        for (int sightings : new int[] {9, 10}) {
            Machine m = plain(KernelProfile.V6_1);
            long p = isolated(m, Page.OWNER_SHMEM);
            m.pageUsers().pin(p, sightings);
            List<Long> from = new ArrayList<>(List.of(p));
            int rc = m.migrate().migratePages(from, Migrate.MIGRATE_SYNC, "contig_range");
            assertThat(rc).as("released after %d", sightings).isEqualTo(sightings == 9 ? 0 : 1);
            m.migrate().putbackMovablePages(from);
            assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        }
    }
}
