package dev.dmatrace.analyzer.findings;

import java.util.Set;

import dev.dmatrace.analyzer.read.Hop;

/**
 * The kernel's return conventions as the contract records them: a {@code struct page *} is a pfn with NULL = -1,
 * any other pointer is an address with NULL = 0 (kernel addresses are negative as Java longs, so only 0 is NULL),
 * an errno is a negative int. A call that threw returned nothing.
 */
public final class Returns {
    private Returns() {}

    /** Functions returning {@code struct page *}. */
    static final Set<String> RETURNS_PAGE = Set.of(
            "cma_alloc", "__cma_alloc", "cma_alloc_aligned", "dma_alloc_contiguous", "dma_alloc_from_contiguous",
            "__alloc_pages", "__alloc_pages_nodemask", "alloc_pages_node", "alloc_pages", "dma_alloc_from_pool",
            "__dma_alloc_buffer", "__dma_direct_alloc_pages");

    /** True when a pointer-returning call gave NULL (or threw). */
    public static boolean isNull(Hop h) {
        if (h.threw()) {
            return true;
        }
        if (h.ret() == null) {
            return false;
        }
        long v = h.retNum(0);
        return Symbols.is(h, Symbols.Role.RETURNS_PAGE) ? v == -1 : v == 0;
    }

    /** The negative errno an int-returning call gave, or 0. */
    public static int errno(Hop h) {
        long v = h.retNum(0);
        return v < 0 && v >= -4095 ? (int) v : 0;
    }

    public static String errnoName(int errno) {
        return switch (errno) {
            case -16 -> "-EBUSY";
            case -12 -> "-ENOMEM";
            case -4 -> "-EINTR";
            case -11 -> "-EAGAIN";
            case -22 -> "-EINVAL";
            case -19 -> "-ENODEV";
            default -> Integer.toString(errno);
        };
    }
}
