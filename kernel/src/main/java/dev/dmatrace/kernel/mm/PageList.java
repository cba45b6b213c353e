package dev.dmatrace.kernel.mm;

/**
 * A set of {@code struct list_head}s of pages ({@code free_area[order].free_list[mt]}, a cpu's pcp lists), built
 * like the kernel's: circular doubly linked lists with a head node, so {@code list_del()} needs no list. Nodes
 * are indices into the {@link MemMap}'s next/prev arrays: pages first, then the head nodes, which each
 * PageList reserves from the memmap. A page is on at most one list at a time.
 */
final class PageList {

    private final MemMap mm;
    private final int base;
    private final int[] next;
    private final int[] prev;
    private final int nrPages;

    PageList(MemMap mm, int lists) {
        this.mm = mm;
        this.base = mm.allocListHeads(lists);
        this.next = mm.next;
        this.prev = mm.prev;
        this.nrPages = mm.nrPages();
        for (int l = 0; l < lists; l++) {
            next[base + l] = base + l;
            prev[base + l] = base + l;
        }
    }

    boolean isEmpty(int list) {
        int h = base + list;
        return next[h] == h;
    }

    /** list_first_entry(); Page.NULL when empty. */
    long first(int list) {
        int n = next[base + list];
        return n >= nrPages ? Page.NULL : mm.startPfn() + n;
    }

    /** list_last_entry(); Page.NULL when empty. */
    long last(int list) {
        int p = prev[base + list];
        return p >= nrPages ? Page.NULL : mm.startPfn() + p;
    }

    /** The page after {@code pfn} on its list; Page.NULL at the end. */
    long next(long pfn) {
        int n = next[mm.idx(pfn)];
        return n >= nrPages ? Page.NULL : mm.startPfn() + n;
    }

    /** list_add(): at the head. */
    void add(int list, long pfn) {
        insert(mm.idx(pfn), base + list, next[base + list]);
    }

    /** list_add_tail(). */
    void addTail(int list, long pfn) {
        int h = base + list;
        insert(mm.idx(pfn), prev[h], h);
    }

    private void insert(int i, int p, int n) {
        next[p] = i;
        prev[i] = p;
        next[i] = n;
        prev[n] = i;
    }

    /** list_del(). */
    static void del(MemMap mm, long pfn) {
        int i = mm.idx(pfn);
        int p = mm.prev[i];
        int n = mm.next[i];
        mm.next[p] = n;
        mm.prev[n] = p;
        mm.next[i] = i;
        mm.prev[i] = i;
    }

    /** The number of entries on a list (a walk, for the views and the checker). */
    int count(int list, int cap) {
        int h = base + list;
        int c = 0;
        for (int i = next[h]; i != h && c < cap; i = next[i]) {
            c++;
        }
        return c;
    }
}
