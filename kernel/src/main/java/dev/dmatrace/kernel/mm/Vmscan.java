package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;
import java.util.Iterator;
import java.util.List;

/** mm/vmscan.c, the one piece alloc_contig_range() uses: dropping clean page-cache pages instead of migrating them. */
public final class Vmscan {

    private final PageAlloc pa;
    private final MemMap mm;
    private final PageUsers users;

    public Vmscan(PageAlloc pa, PageUsers users) {
        this.pa = pa;
        this.mm = pa.mm;
        this.users = users;
    }

    /**
     * reclaim_clean_pages_from_list(): clean, file-backed pages (not shmem or anon, not dirty) are removed from the
     * page cache and freed, unless someone else holds a reference (then shrink_page_list keeps them and they are
     * migrated). Returns the number reclaimed; they leave {@code pageList}.
     */
    @KernelFunction(symbol = "reclaim_clean_pages_from_list", file = "mm/vmscan.c")
    int reclaimCleanPagesFromList(Zone zone, List<Long> pageList) {
        int reclaimed = 0;
        for (Iterator<Long> it = pageList.iterator(); it.hasNext();) {
            long page = it.next();
            if (mm.owner(page) != Page.OWNER_PAGECACHE_CLEAN || mm.testFlag(page, Page.PG_DIRTY)
                    || mm.pageCount(page) != 2) {
                continue;
            }
            it.remove();
            users.reclaimed(page);
            mm.setMapcount(page, 0);
            mm.setPageCount(page, 1);
            pa.free.freePage(page);
            reclaimed++;
        }
        return reclaimed;
    }
}
