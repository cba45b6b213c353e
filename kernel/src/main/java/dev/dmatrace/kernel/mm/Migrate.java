package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * mm/migrate.c for order-0 pages: {@code migrate_pages} (up to 10 passes, waiting for page locks and writeback
 * only from the fourth), {@code unmap_and_move}, {@code __unmap_and_move}, the target allocator and
 * {@code putback_movable_pages}. A page's owner kind, mapcount, dirty bit and content identity move to the new
 * page; the old one is freed. References beyond the owner's and the isolation's (pins) make a page -EAGAIN.
 * The pass loop is the one of 6.1.0; 6.1.119's batched rewrite (unmap all, then move all) gives the same counts
 * for order-0 pages that nobody holds locked or under writeback (see the kernel README).
 */
public final class Migrate {

    /** enum migrate_mode. */
    public static final int MIGRATE_ASYNC = 0;
    public static final int MIGRATE_SYNC_LIGHT = 1;
    public static final int MIGRATE_SYNC = 2;
    /** NR_MAX_MIGRATE_PAGES_RETRY. */
    public static final int MAX_PASSES = 10;
    /** The references a page on the migration list holds: its owner's and the isolation's. */
    static final int EXPECTED_REFS = 2;

    private final PageAlloc pa;
    private final MemMap mm;
    private final KernelProfile profile;
    private final PageUsers users;
    private final dev.dmatrace.kernel.trace.events.Migrate trace;

    public Migrate(PageAlloc pa, PageUsers users, dev.dmatrace.kernel.trace.events.Migrate trace) {
        this.pa = pa;
        this.mm = pa.mm;
        this.profile = pa.profile;
        this.users = users;
        this.trace = trace;
    }

    /** The migrate_mode symbol the tracepoints print. */
    static String modeName(int mode) {
        return switch (mode) {
            case MIGRATE_ASYNC -> "MIGRATE_ASYNC";
            case MIGRATE_SYNC_LIGHT -> "MIGRATE_SYNC_LIGHT";
            case MIGRATE_SYNC -> "MIGRATE_SYNC";
            default -> Integer.toString(mode);
        };
    }

    /** The reason alloc_contig_range() migrates for: [4.4] MR_CMA "cma"; [5.10, 6.1] MR_CONTIG_RANGE "contig_range". */
    public String contigRangeReason() {
        return profile.atLeast(KernelProfile.V5_10) ? "contig_range" : "cma";
    }

    /**
     * migrate_pages(): returns 0 when every page moved, the number of pages that did not (permanent failures plus
     * those still -EAGAIN after the last pass), or -ENOMEM as soon as a target page cannot be allocated. Pages
     * still -EAGAIN stay on {@code from}; permanent failures go back to their owner at once [4.4, 5.10] or are
     * returned on {@code from} [6.1]. Fires mm_migrate_pages on every return ([6.1] mm_migrate_pages_start first).
     */
    @KernelFunction(symbol = "migrate_pages", file = "mm/migrate.c")
    public int migratePages(List<Long> from, int mode, String reason) {
        boolean v61 = profile.atLeast(KernelProfile.V6_1);
        if (v61) {
            trace.traceMmMigratePagesStart(modeName(mode), reason);
        }
        List<Long> retPages = new ArrayList<>();
        long nrSucceeded = 0;
        long nrFailed = 0;
        int retry = 1;
        int rc = 0;
        out:
        for (int pass = 0; pass < MAX_PASSES && retry != 0; pass++) {
            retry = 0;
            for (Iterator<Long> it = from.iterator(); it.hasNext();) {
                long page = it.next();
                rc = unmapAndMove(page, pass > 2, mode, it, retPages);
                switch (rc) {
                    case -Errno.ENOMEM -> {
                        nrFailed++;
                        break out;
                    }
                    case -Errno.EAGAIN -> retry++;
                    case 0 -> nrSucceeded++;
                    default -> nrFailed++;
                }
            }
        }
        if (rc != -Errno.ENOMEM) {
            nrFailed += retry;
            rc = (int) nrFailed;
        }
        from.addAll(retPages);
        int cpu = Current.smpProcessorId();
        pa.vmEvents.count(cpu, VmEvents.PGMIGRATE_SUCCESS, nrSucceeded);
        pa.vmEvents.count(cpu, VmEvents.PGMIGRATE_FAIL, nrFailed);
        trace.traceMmMigratePages(nrSucceeded, nrFailed, 0, 0, 0, modeName(mode), reason);
        return rc;
    }

    /**
     * unmap_and_move(): a page whose only reference left is the isolation's was freed by its owner meanwhile:
     * success without copying ([4.4] allocates the target first and frees it again). Otherwise allocate a target
     * (none: -ENOMEM) and move. Unless -EAGAIN the page leaves the list: on success the old page is freed, on a
     * permanent failure it goes back to its owner ([4.4, 5.10]) or onto {@code retPages} ([6.1]).
     */
    @KernelFunction(symbol = "unmap_and_move", file = "mm/migrate.c")
    int unmapAndMove(long page, boolean force, int mode, Iterator<Long> fromIt, List<Long> retPages) {
        boolean v510 = profile.atLeast(KernelProfile.V5_10);
        long newpage = Page.NULL;
        int rc;
        if (!v510) {
            newpage = allocMigrationTarget(page);
            if (newpage == Page.NULL) {
                return -Errno.ENOMEM;
            }
        }
        if (mm.pageCount(page) == 1) {
            rc = 0;
            if (newpage != Page.NULL) {
                pa.free.freePage(newpage);
            }
        } else {
            if (v510) {
                newpage = allocMigrationTarget(page);
                if (newpage == Page.NULL) {
                    return -Errno.ENOMEM;
                }
            }
            rc = unmapAndMoveInner(page, newpage, force, mode);
            if (rc != 0) {
                pa.free.freePage(newpage);
            }
        }
        if (rc == -Errno.EAGAIN) {
            return rc;
        }
        fromIt.remove();
        if (rc == 0) {
            mm.clearFlag(page, Page.PG_LRU | Page.PG_DIRTY);
            mm.setMapcount(page, 0);
            pa.free.freePage(page);
        } else if (profile.atLeast(KernelProfile.V6_1)) {
            retPages.add(page);
        } else {
            putbackLruPage(page);
        }
        return rc;
    }

    /**
     * __unmap_and_move(): rc starts at -EAGAIN. A locked page is waited for only with {@code force} in a sync mode;
     * a page under writeback is -EBUSY in the async modes, -EAGAIN without force, else waited for. Then the move
     * itself (migrate_page_move_mapping): any reference beyond the expected ones is -EAGAIN.
     */
    @KernelFunction(symbol = "__unmap_and_move", file = "mm/migrate.c")
    int unmapAndMoveInner(long page, long newpage, boolean force, int mode) {
        if (mm.testFlag(page, Page.PG_LOCKED)) {
            if (!force || mode == MIGRATE_ASYNC) {
                return -Errno.EAGAIN;
            }
            users.waitOnPageLocked(page);
        }
        mm.setFlag(page, Page.PG_LOCKED);
        try {
            if (mm.testFlag(page, Page.PG_WRITEBACK)) {
                if (mode != MIGRATE_SYNC) {
                    return -Errno.EBUSY;
                }
                if (!force) {
                    return -Errno.EAGAIN;
                }
                users.waitOnPageWriteback(page);
            }
            return moveToNewPage(newpage, page);
        } finally {
            mm.clearFlag(page, Page.PG_LOCKED);
        }
    }

    /**
     * move_to_new_page() / migrate_page_move_mapping(): with exactly the expected references, the new page takes
     * over owner, mapping count, dirty bit and contents, and goes on the LRU (putback_lru_page); the old page keeps
     * only the isolation reference.
     */
    @KernelFunction(symbol = "move_to_new_page", file = "mm/migrate.c")
    int moveToNewPage(long newpage, long page) {
        if (mm.pageCount(page) != EXPECTED_REFS) {
            users.pinnedPageSeen(page);
            return -Errno.EAGAIN;
        }
        mm.setOwner(newpage, mm.owner(page));
        mm.setContent(newpage, mm.content(page));
        mm.setMapcount(newpage, mm.mapcount(page));
        if (mm.testFlag(page, Page.PG_DIRTY)) {
            mm.setFlag(newpage, Page.PG_DIRTY);
        }
        mm.setFlag(newpage, Page.PG_LRU);
        mm.setPageCount(page, 1);
        users.migrated(page, newpage);
        return 0;
    }

    /**
     * alloc_migration_target() [5.10, 6.1] / alloc_migrate_target() [4.4]: an order-0 MOVABLE page from the buddy
     * allocator, GFP_USER | __GFP_MOVABLE (| __GFP_RETRY_MAYFAIL 5.10+), highmem allowed when the source is
     * highmem or ZONE_MOVABLE. Never a page of the isolated range: its free pages sit on the ISOLATE lists.
     */
    @KernelFunction(symbol = "alloc_migration_target", file = "mm/migrate.c")
    long allocMigrationTarget(long page) {
        long gfp = Gfp.GFP_USER | Gfp.__GFP_MOVABLE;
        if (profile.atLeast(KernelProfile.V5_10)) {
            gfp |= Gfp.__GFP_RETRY_MAYFAIL;
        }
        int zidx = mm.zoneIdx(page);
        if (zidx == Zone.ZONE_HIGHMEM || zidx == Zone.ZONE_MOVABLE) {
            gfp |= Gfp.__GFP_HIGHMEM;
        }
        return pa.allocPages(gfp, 0);
    }

    /** putback_movable_pages(): every page left on the list goes back to its owner. */
    @KernelFunction(symbol = "putback_movable_pages", file = "mm/migrate.c")
    public void putbackMovablePages(List<Long> l) {
        for (long page : l) {
            putbackLruPage(page);
        }
        l.clear();
    }

    /** putback_lru_page(): back on the LRU, dropping the isolation reference; freed if that was the last one. */
    @KernelFunction(symbol = "putback_lru_page", file = "mm/vmscan.c")
    void putbackLruPage(long page) {
        if (mm.pageCount(page) == 1) {
            mm.setMapcount(page, 0);
            pa.free.freePage(page);
            return;
        }
        mm.setFlag(page, Page.PG_LRU);
        mm.setPageCount(page, mm.pageCount(page) - 1);
    }
}
