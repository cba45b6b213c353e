package dev.dmatrace.analyzer.findings;

import java.util.Arrays;
import java.util.Set;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

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
    public static final String MIGRATE_PAGES = "migrate_pages";
    public static final String UNMAP_AND_MOVE = "unmap_and_move";

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

    /**
     * What a symbol is to the detectors, one bit per set or name above. A hop's roles are worked out once per
     * symbol ({@link #roles}) and then read by its {@link Hop#symbolId()}: the hot paths test a bit instead of
     * hashing a name into a set.
     */
    public static final class Role {
        private Role() {}

        public static final int ALLOC_ENTRY = 1;
        public static final int FREE_ENTRY = 1 << 1;
        public static final int DEVICE_POOL = 1 << 2;
        public static final int DEVICE_POOL_BUFFER = 1 << 3;
        public static final int ATOMIC_POOL = 1 << 4;
        public static final int CMA_ALLOC = 1 << 5;
        public static final int DMA_ALLOC_CONTIGUOUS = 1 << 6;
        public static final int ALLOC_CONTIG_RANGE = 1 << 7;
        public static final int CMA_PATH = 1 << 8;
        public static final int BUDDY_ALLOC = 1 << 9;
        public static final int ISOLATE_START = 1 << 10;
        public static final int TEST_PAGES_ISOLATED = 1 << 11;
        public static final int MIGRATE = 1 << 12;
        public static final int MIGRATE_PAGES = 1 << 13;
        public static final int UNMAP_AND_MOVE = 1 << 14;
        public static final int TP_BUSY_RETRY = 1 << 15;
        public static final int TP_MIGRATE_PAGES = 1 << 16;
        public static final int RETURNS_PAGE = 1 << 17;
        /** Set for every symbol once classified, so 0 in the table means "not yet". */
        static final int KNOWN = 1 << 30;
    }

    /** Roles by symbol id, filled as symbols are first seen (any thread; a stale read only classifies again). */
    private static volatile int[] roles = new int[64];

    /** The roles of a hop's symbol ({@link Role} bits). */
    public static int roles(Hop h) {
        int id = h.symbolId();
        int[] t = roles;
        if (id < t.length) {
            int r = t[id];
            if (r != 0) {
                return r;
            }
        }
        return learn(id, h.symbol());
    }

    /** Whether {@code h}'s symbol has any of the {@code role} bits. */
    public static boolean is(Hop h, int role) {
        return (roles(h) & role) != 0;
    }

    /** Whether {@code n} is a recorded hop whose symbol has any of the {@code role} bits. */
    public static boolean is(Node n, int role) {
        return !n.synthetic() && is(n.hop(), role);
    }

    private static synchronized int learn(int id, String symbol) {
        int[] t = roles;
        if (id >= t.length) {
            t = Arrays.copyOf(t, Math.max(id + 1, t.length * 2));
        }
        t[id] = classify(symbol);
        roles = t;
        return t[id];
    }

    private static int classify(String s) {
        int r = Role.KNOWN;
        r |= ALLOC_ENTRY.contains(s) ? Role.ALLOC_ENTRY : 0;
        r |= FREE_ENTRY.contains(s) ? Role.FREE_ENTRY : 0;
        r |= DEVICE_POOL.contains(s) ? Role.DEVICE_POOL : 0;
        r |= DEVICE_POOL_BUFFER.contains(s) ? Role.DEVICE_POOL_BUFFER : 0;
        r |= ATOMIC_POOL.contains(s) ? Role.ATOMIC_POOL : 0;
        r |= s.equals(CMA_ALLOC) ? Role.CMA_ALLOC : 0;
        r |= s.equals(DMA_ALLOC_CONTIGUOUS) ? Role.DMA_ALLOC_CONTIGUOUS : 0;
        r |= s.equals(ALLOC_CONTIG_RANGE) ? Role.ALLOC_CONTIG_RANGE : 0;
        r |= CMA_PATH.contains(s) ? Role.CMA_PATH : 0;
        r |= BUDDY_ALLOC.contains(s) ? Role.BUDDY_ALLOC : 0;
        r |= ISOLATE_START.contains(s) ? Role.ISOLATE_START : 0;
        r |= s.equals(TEST_PAGES_ISOLATED) ? Role.TEST_PAGES_ISOLATED : 0;
        r |= MIGRATE.contains(s) ? Role.MIGRATE : 0;
        r |= s.equals(MIGRATE_PAGES) ? Role.MIGRATE_PAGES : 0;
        r |= s.equals(UNMAP_AND_MOVE) ? Role.UNMAP_AND_MOVE : 0;
        r |= s.equals(TP_BUSY_RETRY) ? Role.TP_BUSY_RETRY : 0;
        r |= s.equals(TP_MIGRATE_PAGES) ? Role.TP_MIGRATE_PAGES : 0;
        r |= Returns.RETURNS_PAGE.contains(s) ? Role.RETURNS_PAGE : 0;
        return r;
    }

    /** A call's gfp flags in the kernel's symbolic form ({@code <name>_text}), or null when it has none. */
    public static String gfpText(Hop h) {
        for (String f : GFP_FIELDS) {
            String t = h.str(f + "_text");
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** A call's gfp flags as a number, or -1. */
    public static long gfp(Hop h) {
        for (String f : GFP_FIELDS) {
            long g = h.num(f, -1);
            if (g >= 0) {
                return g;
            }
        }
        return -1;
    }
}
