package dev.dmatrace.analyzer.findings;

import java.util.Set;

/**
 * Every kernel symbol and argument name the detectors rely on, in one place: when the port or the agent names
 * something differently, this is the only file to change. Call chains per kernel-reference §2.1 (4.4 ARM) and
 * §3.1 (5.10/6.1 dma-direct).
 */
public final class Symbols {
    private Symbols() {}

    /** The driver-facing entry points; the outermost one in a tree is the allocation. */
    public static final Set<String> ALLOC_ENTRY = Set.of("dma_alloc_coherent", "dma_alloc_attrs", "dma_alloc_wc");
    public static final Set<String> FREE_ENTRY = Set.of("dma_free_coherent", "dma_free_attrs", "dma_free_wc");

    /** Per-device coherent pools (4.4 drivers/base/dma-coherent.c, 5.10+ kernel/dma/coherent.c). */
    public static final Set<String> DEVICE_POOL = Set.of(
            "dma_alloc_from_dev_coherent", "dma_alloc_from_coherent", "__dma_alloc_from_coherent",
            "dma_alloc_from_global_coherent");
    /** The pool functions that return the buffer itself (NULL when the pool is full). */
    public static final Set<String> DEVICE_POOL_BUFFER = Set.of(
            "__dma_alloc_from_coherent", "dma_alloc_from_global_coherent");

    /** Atomic pools: 5.10+ kernel/dma/pool.c, 4.4 ARM's gen_pool. */
    public static final Set<String> ATOMIC_POOL = Set.of(
            "dma_alloc_from_pool", "__alloc_from_pool", "dma_direct_alloc_from_pool");

    public static final String CMA_ALLOC = "cma_alloc";
    public static final String DMA_ALLOC_CONTIGUOUS = "dma_alloc_contiguous";
    public static final String ALLOC_CONTIG_RANGE = "alloc_contig_range";
    public static final Set<String> CMA_PATH = Set.of(CMA_ALLOC, "__cma_alloc", "dma_alloc_from_contiguous",
            "cma_alloc_aligned", DMA_ALLOC_CONTIGUOUS, "__alloc_from_contiguous");

    /** Buddy entry points that serve the DMA buffer itself when no CMA ancestor is involved. */
    public static final Set<String> BUDDY_ALLOC = Set.of(
            "__alloc_pages", "__alloc_pages_nodemask", "alloc_pages_node", "alloc_pages", "__dma_alloc_buffer",
            "__alloc_simple_buffer", "__alloc_remap_buffer");

    public static final Set<String> ISOLATE_START = Set.of("start_isolate_page_range");
    public static final String TEST_PAGES_ISOLATED = "test_pages_isolated";
    public static final Set<String> MIGRATE = Set.of("migrate_pages", "__alloc_contig_migrate_range");

    public static final String TP_BUSY_RETRY = "cma_alloc_busy_retry";
    public static final String TP_TEST_PAGES_ISOLATED = "test_pages_isolated";
    public static final String TP_MIGRATE_PAGES = "mm_migrate_pages";
    public static final String TP_CMA_ALLOC_START = "cma_alloc_start";
    public static final String TP_CMA_ALLOC_FINISH = "cma_alloc_finish";

    // argument names (kernel spelling)
    public static final String DEV = "dev";
    public static final String SIZE = "size";
    /** The kernel names its gfp_t parameter differently per function: dma_alloc_attrs() has {@code flag}. */
    private static final java.util.List<String> GFP_FIELDS = java.util.List.of("gfp", "gfp_mask", "gfp_flags", "flag");
    public static final String COUNT = "count";
    public static final String ALIGN = "align";
    public static final String CPU_ADDR = "cpu_addr";
    public static final String DMA_HANDLE = "dma_handle";
    public static final String ORDER = "order";

    public static final int EBUSY = -16;
    public static final int ENOMEM = -12;

    /** A call's gfp flags in the kernel's symbolic form ({@code <name>_text}), or null when it has none. */
    public static String gfpText(dev.dmatrace.analyzer.read.Hop h) {
        for (String f : GFP_FIELDS) {
            String t = h.str(f + "_text");
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** A call's gfp flags as a number, or -1. */
    public static long gfp(dev.dmatrace.analyzer.read.Hop h) {
        for (String f : GFP_FIELDS) {
            long g = h.num(f, -1);
            if (g >= 0) {
                return g;
            }
        }
        return -1;
    }
}
