package dev.dmatrace.kernel.mm;

/**
 * {@code struct page} as the port names it: a page is its pfn, a {@code long}; {@link #NULL} is the NULL page
 * (the kernel's tracepoints print pfn -1 for it, and pfn 0 is a real page on some boards). The page's fields
 * live in {@link MemMap}. The flag bits follow include/linux/page-flags.h by meaning, not by bit number.
 */
public final class Page {

    /** The NULL {@code struct page *}. */
    public static final long NULL = -1L;

    public static final int PG_LOCKED = 1;
    public static final int PG_REFERENCED = 1 << 1;
    public static final int PG_DIRTY = 1 << 2;
    public static final int PG_LRU = 1 << 3;
    public static final int PG_WRITEBACK = 1 << 4;
    public static final int PG_RESERVED = 1 << 5;
    /** PageBuddy (a page_type in 6.1): the head of a free block on a free list. */
    public static final int PG_BUDDY = 1 << 6;
    /** __PageMovable(): a non-LRU movable page (balloon, zsmalloc). */
    public static final int PG_MOVABLE = 1 << 7;
    /** No struct page behind this pfn (a hole between RAM banks, or a no-map range): pfn_valid() is false. */
    public static final int PG_NOMAP = 1 << 8;

    /** Who owns an allocated page (what a later migration check needs to know). */
    public static final byte OWNER_FREE = 0;
    public static final byte OWNER_KERNEL = 1;
    public static final byte OWNER_ANON = 2;
    public static final byte OWNER_PAGECACHE_CLEAN = 3;
    public static final byte OWNER_PAGECACHE_DIRTY = 4;
    public static final byte OWNER_PINNED = 5;
    /** A shmem/tmpfs page: page cache, but swap-backed, so never dropped as a clean file page. */
    public static final byte OWNER_SHMEM = 6;

    private Page() {
    }
}
