package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFunction;
import java.util.HashMap;
import java.util.Map;

/**
 * Who uses the pages alloc_contig_range() must empty: anonymous memory, clean and dirty file pages, shmem, pages
 * held off the LRU, and extra references ("pins"). Each user page has a content id that migration carries to the
 * new page, so a user finds its page again with {@link #pfnOf}. A short pin goes away after it has made migration
 * back off a given number of times (the holder finishing its I/O); a long-term pin never does. Waiting for a page
 * lock or for writeback advances a simulated clock, by one tick per wait, and the holder lets go.
 */
public final class PageUsers {

    /** {@link #pin} with this never releases: a long-term pin (FOLL_LONGTERM). */
    public static final int LONG_TERM = -1;

    private final PageAlloc pa;
    private final MemMap mm;
    private final Map<Long, Long> pfnByContent = new HashMap<>();
    /** pfn -> {short pins, sightings left before they go, long-term pins}. */
    private final Map<Long, int[]> pins = new HashMap<>();
    private long nextContent = 1;
    private long clock;

    public PageUsers(PageAlloc pa) {
        this.pa = pa;
        this.mm = pa.mm;
    }

    /** The simulated clock: ticks spent waiting on page locks and writeback. */
    public synchronized long clock() {
        return clock;
    }

    /**
     * A new user page from the page allocator (GFP_HIGHUSER_MOVABLE, on the LRU, one reference): anonymous (mapped
     * once), file page (clean or dirty) or shmem. Returns the page, or Page.NULL when the allocator fails.
     */
    public synchronized long alloc(byte kind) {
        checkMovableKind(kind);
        long page = pa.allocPages(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_NOWARN, 0);
        if (page == Page.NULL) {
            return page;
        }
        return becomeUserPage(page, kind);
    }

    /**
     * A user page of {@code kind} at a chosen free pfn (take_page_off_buddy() puts it there), as if the allocator
     * had returned that page: for building a machine whose memory is filled in a given pattern.
     */
    public synchronized boolean placeAt(long pfn, byte kind) {
        checkMovableKind(kind);
        pa.pcp.drainAllPages(pa.pageZone(pfn));
        if (!takePageOffBuddy(pfn)) {
            return false;
        }
        mm.setPageCount(pfn, 1);
        becomeUserPage(pfn, kind);
        return true;
    }

    private static void checkMovableKind(byte kind) {
        if (kind != Page.OWNER_ANON && kind != Page.OWNER_PAGECACHE_CLEAN && kind != Page.OWNER_PAGECACHE_DIRTY
                && kind != Page.OWNER_SHMEM) {
            throw new IllegalArgumentException("not a movable user kind: " + kind);
        }
    }

    private long becomeUserPage(long page, byte kind) {
        mm.setOwner(page, kind);
        mm.setFlag(page, Page.PG_LRU);
        if (kind == Page.OWNER_PAGECACHE_DIRTY) {
            mm.setFlag(page, Page.PG_DIRTY);
        }
        mm.setMapcount(page, kind == Page.OWNER_ANON ? 1 : 0);
        long content = nextContent++;
        mm.setContent(page, content);
        pfnByContent.put(content, page);
        return page;
    }

    /**
     * A page held by a driver off the LRU: the oracle module's alloc_page(GFP_HIGHUSER_MOVABLE) kept at a chosen
     * pfn (take_page_off_buddy() puts it there), one reference, owner OWNER_PINNED. Migration never sees it.
     */
    public synchronized boolean holdAt(long pfn) {
        pa.pcp.drainAllPages(pa.pageZone(pfn));
        if (!takePageOffBuddy(pfn)) {
            return false;
        }
        mm.setPageCount(pfn, 1);
        mm.setOwner(pfn, Page.OWNER_PINNED);
        long content = nextContent++;
        mm.setContent(pfn, content);
        pfnByContent.put(content, pfn);
        return true;
    }

    /**
     * take_page_off_buddy() [5.10, 6.1]: finds the free block containing {@code pfn}, takes it off its list and
     * gives the rest back in halves (break_down_buddy_pages), keeping only {@code pfn}.
     */
    @KernelFunction(symbol = "take_page_off_buddy", file = "mm/page_alloc.c", versions = {"5.10", "6.1"})
    boolean takePageOffBuddy(long pfn) {
        Zone zone = pa.pageZone(pfn);
        zone.lock.lock();
        try {
            for (int order = 0; order < PageAlloc.MAX_ORDER; order++) {
                long head = pfn & -(1L << order);
                if (mm.pageBuddy(head) && mm.buddyOrder(head) >= order) {
                    int pageOrder = mm.buddyOrder(head);
                    int mt = mm.getPageblockMigratetype(head);
                    zone.freeArea.delPageFromFreeList(head, pageOrder);
                    breakDownBuddyPages(zone, head, pfn, pageOrder, mt);
                    if (!isMigrateIsolate(mt)) {
                        zone.modZoneFreepageState(-1, mt);
                    }
                    return true;
                }
                if (mm.pageCount(head) > 0) {
                    return false;
                }
            }
            return false;
        } finally {
            zone.lock.unlock();
        }
    }

    /** break_down_buddy_pages(): halves the block, freeing each half that does not contain the target. */
    private void breakDownBuddyPages(Zone zone, long page, long target, int high, int mt) {
        long size = 1L << high;
        while (high > 0) {
            high--;
            size >>= 1;
            long currentBuddy;
            if (target >= page + size) {
                currentBuddy = page;
                page = page + size;
            } else {
                currentBuddy = page + size;
            }
            zone.freeArea.addToFreeList(currentBuddy, high, mt);
            mm.setBuddyOrder(currentBuddy, high);
        }
    }

    /** The page that now holds this content (it moves when the page is migrated); Page.NULL once freed. */
    public synchronized long pfnOf(long content) {
        return pfnByContent.getOrDefault(content, Page.NULL);
    }

    /** Every live user page's content id. */
    public synchronized java.util.Set<Long> contents() {
        return java.util.Set.copyOf(pfnByContent.keySet());
    }

    /** An extra reference on a user page, released after {@code releaseAfter} sightings, or {@link #LONG_TERM}. */
    public synchronized void pin(long pfn, int releaseAfter) {
        int[] p = pins.computeIfAbsent(pfn, k -> new int[3]);
        if (releaseAfter == LONG_TERM) {
            p[2]++;
        } else {
            p[0]++;
            p[1] = Math.max(p[1], releaseAfter);
        }
        mm.setPageCount(pfn, mm.pageCount(pfn) + 1);
    }

    /** Whether someone holds a pin (short or long-term) on the page. */
    public synchronized boolean pinned(long pfn) {
        return pins.containsKey(pfn);
    }

    /** Drops a long-term pin. */
    public synchronized void unpinLongTerm(long pfn) {
        int[] p = pins.get(pfn);
        if (p == null || p[2] == 0) {
            throw new IllegalStateException("no long-term pin on pfn 0x" + Long.toHexString(pfn));
        }
        p[2]--;
        dropRefs(pfn, p, 1);
    }

    /** The holder takes the page lock (released when migration waits for it). */
    public synchronized void lockPage(long pfn) {
        mm.setFlag(pfn, Page.PG_LOCKED);
    }

    /** A dirty file page starts writeback (finished when migration waits for it). */
    public synchronized void startWriteback(long pfn) {
        mm.setFlag(pfn, Page.PG_WRITEBACK);
    }

    /** The user frees its page (munmap, truncate): the owner's reference goes; the page is freed if it was the last. */
    public synchronized void free(long content) {
        Long pfn = pfnByContent.remove(content);
        if (pfn == null) {
            throw new IllegalStateException("no user page with content " + content);
        }
        if (pins.containsKey(pfn)) {
            throw new IllegalStateException("page 0x" + Long.toHexString(pfn) + " is still pinned");
        }
        if (mm.pageCount(pfn) == 1) {
            mm.setMapcount(pfn, 0);
            mm.clearFlag(pfn, Page.PG_LRU | Page.PG_DIRTY);
            pa.free.freePage(pfn);
        } else {
            // isolated for migration right now: the isolation's reference outlives ours
            mm.setPageCount(pfn, mm.pageCount(pfn) - 1);
            mm.setMapcount(pfn, 0);
        }
    }

    /** Migration or isolation backed off because of extra references: short pins age. */
    synchronized void pinnedPageSeen(long pfn) {
        int[] p = pins.get(pfn);
        if (p == null || p[0] == 0) {
            return;
        }
        if (--p[1] <= 0) {
            int n = p[0];
            p[0] = 0;
            dropRefs(pfn, p, n);
        }
    }

    private void dropRefs(long pfn, int[] p, int n) {
        mm.setPageCount(pfn, mm.pageCount(pfn) - n);
        if (p[0] == 0 && p[2] == 0) {
            pins.remove(pfn);
        }
    }

    /** lock_page() slept until the holder unlocked. */
    synchronized void waitOnPageLocked(long pfn) {
        clock++;
        mm.clearFlag(pfn, Page.PG_LOCKED);
    }

    /** wait_on_page_writeback(): the I/O completes, the page is clean. */
    synchronized void waitOnPageWriteback(long pfn) {
        clock++;
        mm.clearFlag(pfn, Page.PG_WRITEBACK | Page.PG_DIRTY);
        if (mm.owner(pfn) == Page.OWNER_PAGECACHE_DIRTY) {
            mm.setOwner(pfn, Page.OWNER_PAGECACHE_CLEAN);
        }
    }

    synchronized void migrated(long oldPfn, long newPfn) {
        pfnByContent.put(mm.content(oldPfn), newPfn);
    }

    synchronized void reclaimed(long pfn) {
        pfnByContent.remove(mm.content(pfn));
    }
}
