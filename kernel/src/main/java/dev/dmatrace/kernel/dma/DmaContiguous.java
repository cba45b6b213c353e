package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.EarlyCma;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Cma;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageFree;

/**
 * kernel/dma/contiguous.c (4.4: drivers/base/dma-contiguous.c): the default CMA area and its reservation at
 * boot, per-device areas, and the allocation rules of the DMA layer on top of cma_alloc(). Per-NUMA areas are
 * not modelled (one node).
 */
public final class DmaContiguous {

    private static final long PAGE_SIZE = 4096;

    private final KernelProfile profile;
    private final Cma cma;
    private final PageFree free;
    private CmaArea dmaContiguousDefaultArea;

    public DmaContiguous(KernelProfile profile, Cma cma, PageFree free) {
        this.profile = profile;
        this.cma = cma;
        this.free = free;
    }

    /** {@code dma_contiguous_default_area}. */
    public CmaArea defaultArea() {
        return dmaContiguousDefaultArea;
    }

    /** Set by rmem_cma_setup() for a {@code linux,cma-default} region. */
    public void setDefaultArea(CmaArea area) {
        dmaContiguousDefaultArea = area;
    }

    /**
     * dma_contiguous_reserve(limit): the command line's {@code cma=} wins over the Kconfig size
     * ({@code CONFIG_CMA_SIZE_MBYTES}); nothing happens when a DT region already became the default area.
     */
    @KernelFunction(symbol = "dma_contiguous_reserve", file = "kernel/dma/contiguous.c")
    public void dmaContiguousReserve(long limit, EarlyCma cmdline, long kconfigSizeBytes) {
        long selectedSize;
        long selectedBase = 0;
        long selectedLimit = limit;
        boolean fixed = false;
        if (cmdline.given()) {
            selectedSize = cmdline.size();
            selectedBase = cmdline.base();
            selectedLimit = cmdline.limitFor(limit);
            fixed = cmdline.fixed();
        } else {
            selectedSize = kconfigSizeBytes;
        }
        if (selectedSize != 0 && dmaContiguousDefaultArea == null) {
            dmaContiguousReserveArea(selectedSize, selectedBase, selectedLimit, fixed);
        }
    }

    /** dma_contiguous_reserve_area(): cma_declare_contiguous() of the default area, named "reserved" in 5.10+. */
    @KernelFunction(symbol = "dma_contiguous_reserve_area", file = "kernel/dma/contiguous.c")
    public int dmaContiguousReserveArea(long size, long base, long limit, boolean fixed) {
        CmaArea[] res = new CmaArea[1];
        String name = profile.atLeast(KernelProfile.V5_10) ? "reserved" : null;
        int ret = cma.cmaDeclareContiguous(base, size, limit, 0, 0, fixed, name, res);
        if (ret == 0) {
            dmaContiguousDefaultArea = res[0];
        }
        return ret;
    }

    /** dev_get_cma_area(): the device's own area, else the default one. */
    @KernelFunction(symbol = "dev_get_cma_area", file = "include/linux/dma-map-ops.h")
    public CmaArea devGetCmaArea(Device dev) {
        if (dev != null && dev.cmaArea != null) {
            return dev.cmaArea;
        }
        return dmaContiguousDefaultArea;
    }

    /** dma_alloc_from_contiguous(): cma_alloc() of the device's area with the alignment capped at CMA_ALIGNMENT. */
    @KernelFunction(symbol = "dma_alloc_from_contiguous", file = "kernel/dma/contiguous.c")
    public long dmaAllocFromContiguous(Device dev, long count, int align, boolean noWarn) {
        return cma.cmaAlloc(devGetCmaArea(dev), count, Math.min(align, Cma.CMA_ALIGNMENT), noWarn);
    }

    /** dma_release_from_contiguous(): cma_release() to the device's area; false when the pages are not from it. */
    @KernelFunction(symbol = "dma_release_from_contiguous", file = "kernel/dma/contiguous.c")
    public boolean dmaReleaseFromContiguous(Device dev, long pages, long count) {
        return cma.cmaRelease(devGetCmaArea(dev), pages, count);
    }

    /** cma_alloc_aligned(): exactly size / PAGE_SIZE pages, aligned to min(get_order(size), CMA_ALIGNMENT). */
    @KernelFunction(symbol = "cma_alloc_aligned", file = "kernel/dma/contiguous.c", versions = {"5.10", "6.1"})
    private long cmaAllocAligned(CmaArea area, long size, @KernelFlags(Gfp.class) long gfp) {
        int align = Math.min(DmaMapping.getOrder(size), Cma.CMA_ALIGNMENT);
        return cma.cmaAlloc(area, size >>> 12, align, (gfp & Gfp.__GFP_NOWARN) != 0);
    }

    /**
     * dma_alloc_contiguous() [5.10, 6.1]: only when the caller may sleep; the device's own area for any size and
     * without fallback; a single page never takes the default area.
     */
    @KernelFunction(symbol = "dma_alloc_contiguous", file = "kernel/dma/contiguous.c", versions = {"5.10", "6.1"})
    public long dmaAllocContiguous(Device dev, long size, @KernelFlags(Gfp.class) long gfp) {
        if (!Gfp.gfpflagsAllowBlocking(gfp)) {
            return Page.NULL;
        }
        if (dev != null && dev.cmaArea != null) {
            return cmaAllocAligned(dev.cmaArea, size, gfp);
        }
        if (size <= PAGE_SIZE) {
            return Page.NULL;
        }
        if (dmaContiguousDefaultArea == null) {
            return Page.NULL;
        }
        return cmaAllocAligned(dmaContiguousDefaultArea, size, gfp);
    }

    /**
     * dma_free_contiguous() [5.10, 6.1]: back to the device's area, else the default area, else to the buddy
     * allocator as one block of get_order(size).
     */
    @KernelFunction(symbol = "dma_free_contiguous", file = "kernel/dma/contiguous.c", versions = {"5.10", "6.1"})
    public void dmaFreeContiguous(Device dev, long page, long size) {
        long count = (size + PAGE_SIZE - 1) >>> 12;
        if (dev != null && dev.cmaArea != null) {
            if (cma.cmaRelease(dev.cmaArea, page, count)) {
                return;
            }
        } else if (cma.cmaRelease(dmaContiguousDefaultArea, page, count)) {
            return;
        }
        free.freePages(page, DmaMapping.getOrder(size));
    }
}
