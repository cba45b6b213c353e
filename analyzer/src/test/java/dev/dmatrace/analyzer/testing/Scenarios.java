package dev.dmatrace.analyzer.testing;

/**
 * The call chains of kernel-reference §3.1 (5.10/6.1 dma-direct) and §2.1 (4.4 ARM), as the agent records them:
 * each method plays one driver call of dma_alloc_coherent() or dma_free_coherent() with a given outcome.
 * Addresses: CPU address = 0xffff888000000000 + pfn * 4096 (x86-64 direct map), NULL = 0; pages are pfns,
 * NULL = -1.
 */
public final class Scenarios {
    public static final String KERNEL = "GFP_KERNEL";
    public static final String ATOMIC = "GFP_ATOMIC";
    private static final long DIRECT_MAP = 0xffff888000000000L;

    private final TestRecording rec;

    public Scenarios(TestRecording rec) {
        this.rec = rec;
    }

    public static long cpuAddr(long pfn) {
        return DIRECT_MAP + pfn * 4096;
    }

    private static long pages(long size) {
        return (size + 4095) / 4096;
    }

    private static int order(long size) {
        int o = 0;
        while ((4096L << o) < size) {
            o++;
        }
        return o;
    }

    private TestRecording.Call entry(String dev, long size, String gfp) {
        return rec.call("dma_alloc_coherent", long.class, "dev", dev, "size", size, "gfp", 0xcc0,
                "gfp_text", gfp);
    }

    /** Closes the three dma-direct frames and the entry, all returning {@code pfn} (or NULL). */
    private long unwind(TestRecording.Call pages, TestRecording.Call entry, long pfn) {
        pages.ret(pfn);
        long addr = pfn < 0 ? 0 : cpuAddr(pfn);
        // dma_direct_alloc, dma_alloc_attrs: closed through the recording's stack
        closeCurrent(addr);
        closeCurrent(addr);
        entry.ret(addr);
        return addr;
    }

    private final java.util.ArrayDeque<TestRecording.Call> open = new java.util.ArrayDeque<>();

    private void closeCurrent(long ret) {
        open.pop().ret(ret);
    }

    private TestRecording.Call pagesFrame(String dev, long size, String gfp) {
        TestRecording.Call attrs = rec.call("dma_alloc_attrs", long.class, "dev", dev, "size", size, "gfp", 0xcc0,
                "gfp_text", gfp, "attrs", 0L);
        TestRecording.Call direct = rec.call("dma_direct_alloc", long.class, "dev", dev, "size", size, "gfp", 0xcc0,
                "gfp_text", gfp);
        open.push(attrs);
        open.push(direct);
        return rec.call("__dma_direct_alloc_pages", long.class, "dev", dev, "size", size, "gfp", 0xcc0,
                "gfp_text", gfp);
    }

    /** One alloc_contig_range attempt returning {@code ret}, with isolation/migration details on failure. */
    private void contigRange(long pfn, long count, int ret, boolean migrationFails) {
        TestRecording.Call acr = rec.call("alloc_contig_range", int.class, "start", pfn, "end", pfn + count,
                "migratetype", 4);
        rec.call("start_isolate_page_range", int.class, "start_pfn", pfn, "end_pfn", pfn + count).ret(0);
        if (migrationFails) {
            TestRecording.Call mig = rec.call("migrate_pages", int.class, "mode", 2, "reason", 6);
            rec.tp("mm_migrate_pages", "succeeded", 29L, "failed", 3L, "thp_succeeded", 0L, "thp_failed", 0L,
                    "thp_split", 0L, "mode", 2, "reason", 6);
            mig.ret(3);
        }
        TestRecording.Call tpi = rec.call("test_pages_isolated", int.class, "start_pfn", pfn, "end_pfn", pfn + count);
        long fin = ret == 0 ? pfn + count : pfn + 3;
        rec.tp("test_pages_isolated", "start_pfn", pfn, "end_pfn", pfn + count, "fin_pfn", fin);
        tpi.ret(ret == 0 ? 0 : -16);
        acr.ret(ret);
    }

    /**
     * cma_alloc of {@code count} pages that meets {@code busy} busy ranges first, then succeeds at {@code pfn},
     * or fails when {@code succeed} is false ({@code busy} == 0 and not succeeding: no space at all).
     */
    private long cma(String area, long count, int align, int busy, boolean succeed, long pfn, boolean migrationFails) {
        TestRecording.Call c = rec.call("cma_alloc", long.class, "cma", area, "count", count, "align", align,
                "no_warn", true);
        rec.tp("cma_alloc_start", "name", area, "count", count, "align", align);
        long candidate = pfn;
        for (int i = 0; i < busy; i++) {
            contigRange(candidate, count, -16, migrationFails);
            rec.tp("cma_alloc_busy_retry", "name", area, "pfn", candidate, "page", candidate, "count", count,
                    "align", align);
            candidate += 1L << align;
        }
        long result = -1;
        if (succeed) {
            contigRange(candidate, count, 0, false);
            result = candidate;
        }
        rec.tp("cma_alloc_finish", "name", area, "pfn", succeed || busy > 0 ? candidate : -1L, "page", result,
                "count", count, "align", align);
        c.ret(result);
        return result;
    }

    /** A CMA-backed allocation (6.1 dma-direct) that succeeds after {@code busy} busy ranges. */
    public long cmaAlloc(String dev, long size, int busy, long pfn) {
        TestRecording.Call e = entry(dev, size, KERNEL);
        TestRecording.Call pages = pagesFrame(dev, size, KERNEL);
        TestRecording.Call contig = rec.call("dma_alloc_contiguous", long.class, "dev", dev, "size", size, "gfp",
                0xcc0, "gfp_text", KERNEL);
        long got = cma("reserved", pages(size), Math.min(order(size), 8), busy, true, pfn, false);
        contig.ret(got);
        return unwind(pages, e, got);
    }

    /**
     * CMA fails ({@code busy} busy ranges then the area runs out, or no space at all when busy == 0), then the
     * buddy allocator is tried: it returns {@code buddyPfn}, or NULL when -1.
     */
    public long cmaFailsThenBuddy(String dev, long size, int busy, boolean migrationFails, long buddyPfn) {
        TestRecording.Call e = entry(dev, size, KERNEL);
        TestRecording.Call pages = pagesFrame(dev, size, KERNEL);
        TestRecording.Call contig = rec.call("dma_alloc_contiguous", long.class, "dev", dev, "size", size, "gfp",
                0xcc0, "gfp_text", KERNEL);
        cma("reserved", pages(size), Math.min(order(size), 8), busy, false, 0x40000L, migrationFails);
        contig.ret(-1L);
        TestRecording.Call buddy = rec.call("alloc_pages_node", long.class, "nid", 0, "gfp", 0xcc0, "gfp_text",
                KERNEL, "order", order(size));
        rec.call("__alloc_pages", long.class, "gfp", 0xcc0, "gfp_text", KERNEL, "order", order(size)).ret(buddyPfn);
        buddy.ret(buddyPfn);
        return unwind(pages, e, buddyPfn);
    }

    /** The device has a coherent pool (5.10+): it serves the request at {@code pfn}, or is full when pfn < 0. */
    public long devicePool(String dev, long size, long pfn) {
        TestRecording.Call e = entry(dev, size, KERNEL);
        TestRecording.Call attrs = rec.call("dma_alloc_attrs", long.class, "dev", dev, "size", size, "gfp", 0xcc0,
                "gfp_text", KERNEL, "attrs", 0L);
        TestRecording.Call pool = rec.call("dma_alloc_from_dev_coherent", int.class, "dev", dev, "size", size);
        long addr = pfn < 0 ? 0 : cpuAddr(pfn);
        rec.call("__dma_alloc_from_coherent", long.class, "dev", dev, "size", size).ret(addr);
        pool.ret(1);
        attrs.ret(addr);
        e.ret(addr);
        return addr;
    }

    /** A GFP_ATOMIC allocation of a non-coherent device served by the atomic pool, or failing when full. */
    public long atomicPool(String dev, long size, long pfn) {
        TestRecording.Call e = entry(dev, size, ATOMIC);
        TestRecording.Call attrs = rec.call("dma_alloc_attrs", long.class, "dev", dev, "size", size, "gfp", 0xa20,
                "gfp_text", ATOMIC, "attrs", 0L);
        TestRecording.Call direct = rec.call("dma_direct_alloc", long.class, "dev", dev, "size", size, "gfp",
                0xa20, "gfp_text", ATOMIC);
        TestRecording.Call from = rec.call("dma_direct_alloc_from_pool", long.class, "dev", dev, "size", size);
        TestRecording.Call pool = rec.call("dma_alloc_from_pool", long.class, "dev", dev, "size", size);
        pool.ret(pfn);
        long addr = pfn < 0 ? 0 : cpuAddr(pfn);
        from.ret(addr);
        direct.ret(addr);
        attrs.ret(addr);
        e.ret(addr);
        return addr;
    }

    /** dma_free_coherent of a buffer. */
    public void free(String dev, long size, long cpuAddr) {
        TestRecording.Call f = rec.call("dma_free_coherent", void.class, "dev", dev, "size", size, "cpu_addr",
                cpuAddr, "dma_handle", cpuAddr - DIRECT_MAP);
        rec.call("dma_free_attrs", void.class, "dev", dev, "size", size, "cpu_addr", cpuAddr).exit();
        f.exit();
    }

    /** Spins for {@code nanos} inside the current call, so durations are real. */
    public static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** A CMA allocation made slow inside migration. */
    public long slowCmaAlloc(String dev, long size, long pfn, long nanos) {
        TestRecording.Call e = entry(dev, size, KERNEL);
        TestRecording.Call pages = pagesFrame(dev, size, KERNEL);
        TestRecording.Call contig = rec.call("dma_alloc_contiguous", long.class, "dev", dev, "size", size, "gfp",
                0xcc0, "gfp_text", KERNEL);
        TestRecording.Call c = rec.call("cma_alloc", long.class, "cma", "reserved", "count", pages(size), "align",
                Math.min(order(size), 8), "no_warn", true);
        TestRecording.Call acr = rec.call("alloc_contig_range", int.class, "start", pfn, "end", pfn + pages(size),
                "migratetype", 4);
        TestRecording.Call mig = rec.call("migrate_pages", int.class, "mode", 2, "reason", 6);
        // the work that makes it slow: one unmap_and_move per page of the range
        for (long p = pfn; p < pfn + pages(size); p++) {
            rec.call("unmap_and_move", int.class, "page", p).ret(0);
        }
        spin(nanos);
        mig.ret(0);
        acr.ret(0);
        c.ret(pfn);
        contig.ret(pfn);
        return unwind(pages, e, pfn);
    }
}
