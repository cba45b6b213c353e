package dev.dmatrace.kernel.mm;

/**
 * {@code zone->free_area[MAX_ORDER]}: per order, one free list per migratetype and {@code nr_free} (free
 * blocks of that order, all types together), with the list helpers of mm/page_alloc.c. Callers hold zone->lock.
 */
public final class FreeArea {

    /** MAX_ORDER = 11 in 4.4, 5.10 and 6.1: orders 0..10. */
    public static final int MAX_ORDER = 11;

    private final MemMap mm;
    private final PageList lists;
    private final long[] nrFree = new long[MAX_ORDER];

    FreeArea(MemMap mm) {
        this.mm = mm;
        this.lists = new PageList(mm, MAX_ORDER * MigrateType.MIGRATE_TYPES);
    }

    private static int list(int order, int mt) {
        return order * MigrateType.MIGRATE_TYPES + mt;
    }

    public long nrFree(int order) {
        return nrFree[order];
    }

    /** free_area_empty(area, migratetype). */
    public boolean freeAreaEmpty(int order, int mt) {
        return lists.isEmpty(list(order, mt));
    }

    /** get_page_from_free_area(): the first page of the list, Page.NULL when empty. */
    long getPageFromFreeArea(int order, int mt) {
        return lists.first(list(order, mt));
    }

    /** add_to_free_list(): head of the list. */
    void addToFreeList(long pfn, int order, int mt) {
        lists.add(list(order, mt), pfn);
        nrFree[order]++;
    }

    /** add_to_free_list_tail(). */
    void addToFreeListTail(long pfn, int order, int mt) {
        lists.addTail(list(order, mt), pfn);
        nrFree[order]++;
    }

    /** move_to_free_list(): to the tail (5.10+) or the head (4.4's list_move), without touching nr_free. */
    void moveToFreeList(long pfn, int order, int mt, boolean tail) {
        PageList.del(mm, pfn);
        if (tail) {
            lists.addTail(list(order, mt), pfn);
        } else {
            lists.add(list(order, mt), pfn);
        }
    }

    /** del_page_from_free_list(): unlinks, clears PageBuddy and the order, nr_free--. */
    void delPageFromFreeList(long pfn, int order) {
        PageList.del(mm, pfn);
        mm.clearBuddy(pfn);
        nrFree[order]--;
    }

    /** Number of blocks on one list (the /proc/pagetypeinfo walk), at most {@code cap}. */
    public int countList(int order, int mt, int cap) {
        return lists.count(list(order, mt), cap);
    }

    /** Iteration for the checker: first block on a list. */
    long first(int order, int mt) {
        return lists.first(list(order, mt));
    }

    long next(long pfn) {
        return lists.next(pfn);
    }
}
