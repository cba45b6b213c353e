package dev.dmatrace.kernel.boot;

import java.util.Locale;

/**
 * The kernel version a machine reproduces. Every behaviour that differs between versions is decided by one
 * method here (or by one {@code atLeast} branch at the one place the kernel code differs, with a comment).
 */
public enum KernelProfile {
    V4_4("4.4"),
    V5_10("5.10"),
    V6_1("6.1"),
    V6_12("6.12");

    private final String version;

    KernelProfile(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    public boolean atLeast(KernelProfile other) {
        return compareTo(other) >= 0;
    }

    /** Parses "4.4", "5.10", "6.1", "6.12" (or the enum name); null when unknown. */
    public static KernelProfile parse(String s) {
        for (KernelProfile p : values()) {
            if (p.version.equals(s) || p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        return null;
    }

    /** pcp_allowed_order(): 6.1 keeps orders up to PAGE_ALLOC_COSTLY_ORDER on the pcp lists, older kernels order 0 only. */
    public boolean pcpAllowedOrder(int order) {
        return atLeast(V6_1) ? order <= 3 : order == 0;
    }

    /** Number of pcp lists per cpu and zone: NR_PCP_LISTS (6.1, no THP list) or MIGRATE_PCPTYPES (4.4, 5.10). */
    public int nrPcpLists() {
        return atLeast(V6_1) ? 3 * 4 : 3;
    }

    /** zone_batchsize()'s cap: 512 KiB in 4.4, 1 MiB since 4.19 ("double zone's batchsize"). */
    public int pcpBatchCapBytes() {
        return atLeast(V5_10) ? 1 << 20 : 512 << 10;
    }

    /** __free_pages_core() frees boot memory with FPI_TO_TAIL since 5.10 (commit "place pages to tail in __free_pages_core()"). */
    public boolean bootFreesToTail() {
        return atLeast(V5_10);
    }

    /** move_to_free_list() moves to the tail since 5.10; 4.4's move_freepages() uses list_move() (head). */
    public boolean moveFreepagesToTail() {
        return atLeast(V5_10);
    }

    /** __rmqueue() tries CMA first when more than half the zone's free pages are CMA (5.10, 6.1); 4.4 only after the smallest search failed. */
    public boolean cmaFirstWhenMoreThanHalf() {
        return atLeast(V5_10);
    }

    /** The __rmqueue_fallback() era: 5.10+ returns bool and lets __rmqueue_smallest() retry; 4.4 returns the page. */
    public boolean fallbackRetriesSmallest() {
        return atLeast(V5_10);
    }

    /** mm_page_alloc_zone_locked fires inside __rmqueue_smallest() (6.1+) instead of at the end of __rmqueue() (4.4, 5.10). */
    public boolean zoneLockedTraceInSmallest() {
        return atLeast(V6_1);
    }

    /** kmem tracepoints print {@code pfn=0x%lx} (6.1+) instead of {@code pfn=%lu}. */
    public boolean tracePfnHex() {
        return atLeast(V6_1);
    }

    /** ftrace's per-line flag columns: 5 since the migrate-disable column (5.13), 4 before. */
    public int traceFlagColumns() {
        return atLeast(V6_1) ? 5 : 4;
    }

    /** /proc/pagetypeinfo caps its free-list walk at 100000 and prints '>' (5.10+). */
    public boolean pagetypeinfoCapsWalk() {
        return atLeast(V5_10);
    }

    /** calculate_min_free_kbytes() clamp: 65536 kB in 4.4, 262144 kB since 5.7. */
    public int maxMinFreeKbytes() {
        return atLeast(V5_10) ? 262144 : 65536;
    }

    /** watermark_scale_factor exists since 4.6; 4.4 derives low/high from min alone. */
    public boolean hasWatermarkScaleFactor() {
        return atLeast(V5_10);
    }

    /** watermark_boost_factor / boost_watermark() exist since 5.0. */
    public boolean hasWatermarkBoost() {
        return atLeast(V5_10);
    }

    /** ALLOC_NOFRAGMENT exists since 5.0. */
    public boolean hasAllocNofragment() {
        return atLeast(V5_10);
    }

    /** The 6.1.119 reserve flags (ALLOC_NON_BLOCK/ALLOC_MIN_RESERVE/ALLOC_HIGHATOMIC) instead of ALLOC_HARDER/ALLOC_HIGH. */
    public boolean hasAllocReserveRework() {
        return atLeast(V6_1);
    }

    /** The page allocator's entry, as a WARNING names it: 6.12's allocation profiling renamed it {@code _noprof}. */
    public String allocPagesSymbol() {
        return switch (this) {
            case V4_4, V5_10 -> "__alloc_pages_nodemask";
            case V6_1 -> "__alloc_pages";
            case V6_12 -> "__alloc_pages_noprof";
        };
    }

    /** The kernel's own name in the "Linux version" banner and in messages. */
    @Override
    public String toString() {
        return version;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
