package dev.dmatrace.kernel.mm;

/**
 * The memmap: one {@code struct page} per pfn of the machine's span, kept as parallel primitive arrays indexed by
 * {@code pfn - startPfn} (no object per page), plus the pageblock migratetype bits (mm/page_alloc.c's
 * {@code pageblock_flags}). Also the list links ({@code page->lru}/{@code buddy_list}/{@code pcp_list}), as
 * indices, used by {@link PageList}.
 */
public final class MemMap {

    private final long startPfn;
    private final int nrPages;
    private final int pageblockOrder;

    final int[] flags;
    final byte[] order;
    final byte[] pcpMigratetype;
    final int[] refcount;
    final int[] mapcount;
    final byte[] owner;
    final long[] content;
    final byte[] zone;
    final int[] next;
    final int[] prev;
    private final byte[] pageblockMigratetype;
    private final long firstPageblock;

    private int listHeadsUsed;

    /**
     * @param maxListHeads how many list head nodes the zones' free areas and pcp lists will reserve
     */
    public MemMap(long startPfn, int nrPages, int pageblockOrder, int maxListHeads) {
        this.startPfn = startPfn;
        this.nrPages = nrPages;
        this.pageblockOrder = pageblockOrder;
        flags = new int[nrPages];
        order = new byte[nrPages];
        pcpMigratetype = new byte[nrPages];
        refcount = new int[nrPages];
        mapcount = new int[nrPages];
        owner = new byte[nrPages];
        content = new long[nrPages];
        zone = new byte[nrPages];
        next = new int[nrPages + maxListHeads];
        prev = new int[nrPages + maxListHeads];
        firstPageblock = startPfn >> pageblockOrder;
        long lastPageblock = (startPfn + nrPages - 1) >> pageblockOrder;
        pageblockMigratetype = new byte[(int) (lastPageblock - firstPageblock + 1)];
    }

    /** Reserves {@code n} list head nodes after the pages; returns the first node's index. */
    int allocListHeads(int n) {
        int first = nrPages + listHeadsUsed;
        if (first + n > next.length) {
            throw new IllegalStateException("memmap list heads exhausted");
        }
        listHeadsUsed += n;
        return first;
    }

    public long startPfn() {
        return startPfn;
    }

    public long endPfn() {
        return startPfn + nrPages;
    }

    public int nrPages() {
        return nrPages;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    public int pageblockNrPages() {
        return 1 << pageblockOrder;
    }

    /** Index of a pfn in the arrays; callers check {@link #spans} first where the pfn may lie outside. */
    int idx(long pfn) {
        return (int) (pfn - startPfn);
    }

    public boolean spans(long pfn) {
        return pfn >= startPfn && pfn < startPfn + nrPages;
    }

    /** pfn_valid(): inside the memmap and not a hole. */
    public boolean pfnValid(long pfn) {
        return spans(pfn) && (flags[idx(pfn)] & Page.PG_NOMAP) == 0;
    }

    public int flags(long pfn) {
        return flags[idx(pfn)];
    }

    public boolean testFlag(long pfn, int flag) {
        return (flags[idx(pfn)] & flag) != 0;
    }

    public void setFlag(long pfn, int flag) {
        flags[idx(pfn)] |= flag;
    }

    public void clearFlag(long pfn, int flag) {
        flags[idx(pfn)] &= ~flag;
    }

    public boolean pageBuddy(long pfn) {
        return (flags[idx(pfn)] & Page.PG_BUDDY) != 0;
    }

    public boolean pageReserved(long pfn) {
        return (flags[idx(pfn)] & Page.PG_RESERVED) != 0;
    }

    /** buddy_order(): page_private of a PageBuddy page. */
    public int buddyOrder(long pfn) {
        return order[idx(pfn)];
    }

    /** set_buddy_order(): records the order and sets PageBuddy. */
    void setBuddyOrder(long pfn, int o) {
        int i = idx(pfn);
        order[i] = (byte) o;
        flags[i] |= Page.PG_BUDDY;
    }

    /** rmv_page_order()/__ClearPageBuddy(). */
    void clearBuddy(long pfn) {
        int i = idx(pfn);
        flags[i] &= ~Page.PG_BUDDY;
        order[i] = 0;
    }

    public int pageCount(long pfn) {
        return refcount[idx(pfn)];
    }

    public void setPageCount(long pfn, int count) {
        refcount[idx(pfn)] = count;
    }

    public int mapcount(long pfn) {
        return mapcount[idx(pfn)];
    }

    public void setMapcount(long pfn, int count) {
        mapcount[idx(pfn)] = count;
    }

    public byte owner(long pfn) {
        return owner[idx(pfn)];
    }

    public void setOwner(long pfn, byte kind) {
        owner[idx(pfn)] = kind;
    }

    public long content(long pfn) {
        return content[idx(pfn)];
    }

    public void setContent(long pfn, long id) {
        content[idx(pfn)] = id;
    }

    /** page_zonenum(); -1 for a pfn without a zone (hole). */
    public int zoneIdx(long pfn) {
        return zone[idx(pfn)];
    }

    void setZoneIdx(long pfn, int z) {
        zone[idx(pfn)] = (byte) z;
    }

    /** get_pcppage_migratetype() (page->index while the page is on a pcp list or just allocated). */
    public int pcppageMigratetype(long pfn) {
        return pcpMigratetype[idx(pfn)];
    }

    void setPcppageMigratetype(long pfn, int mt) {
        pcpMigratetype[idx(pfn)] = (byte) mt;
    }

    /** get_pageblock_migratetype() / get_pfnblock_migratetype(). */
    public int getPageblockMigratetype(long pfn) {
        return pageblockMigratetype[(int) ((pfn >> pageblockOrder) - firstPageblock)];
    }

    /** set_pageblock_migratetype(); the caller holds zone->lock where the kernel does. */
    public void setPageblockMigratetype(long pfn, int mt) {
        pageblockMigratetype[(int) ((pfn >> pageblockOrder) - firstPageblock)] = (byte) mt;
    }
}
