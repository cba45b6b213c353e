package dev.dmatrace.kernel.arch.arm;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.dma.DmaContiguous;
import dev.dmatrace.kernel.dma.DmaRemap;
import dev.dmatrace.kernel.dma.GenPool;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.LinearMap;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.printk.Printk;

/**
 * The four backends of arch/arm/mm/dma-mapping.c: a simple buffer (buddy block split into pages, the tail
 * beyond the size freed back at once), a remapped buffer (the same, mapped in the vmalloc area), a CMA buffer,
 * and the atomic pool (one gen_pool filled at boot, never grown).
 */
public final class ArmDmaBackends {

    /** Which backend made a buffer. */
    public enum Kind { SIMPLE, REMAP, CMA, POOL }

    private final PageAlloc pa;
    private final DmaContiguous contiguous;
    private final DmaRemap remap;
    private final Printk printk;
    private GenPool atomicPool;

    ArmDmaBackends(PageAlloc pa, DmaContiguous contiguous, DmaRemap remap, Printk printk) {
        this.pa = pa;
        this.contiguous = contiguous;
        this.remap = remap;
        this.printk = printk;
    }

    LinearMap linearMap() {
        return remap.linearMap();
    }

    long maxPfn() {
        return pa.memMap().endPfn();
    }

    GenPool atomicPool() {
        return atomicPool;
    }

    /** One backend's allocation: the CPU address, the first page in {@code page[0]} (Page.NULL on failure). */
    long alloc(Kind kind, Device dev, long size, long gfp, boolean wantVaddr, long[] page) {
        return switch (kind) {
            case SIMPLE -> allocSimpleBuffer(size, gfp, page);
            case REMAP -> allocRemapBuffer(size, gfp, wantVaddr, page);
            case CMA -> allocFromContiguous(dev, size, wantVaddr, page);
            case POOL -> allocFromPool(size, page);
        };
    }

    /** One backend's free; CMA's cma_release() result is ignored, as in the kernel. */
    void free(Kind kind, Device dev, long page, long cpuAddr, long size, boolean wantVaddr) {
        switch (kind) {
            case SIMPLE -> dmaFreeBuffer(page, size);
            case REMAP -> {
                if (wantVaddr) {
                    remap.dmaCommonFreeRemap(cpuAddr, size);
                }
                dmaFreeBuffer(page, size);
            }
            case CMA -> freeFromContiguous(dev, page, cpuAddr, size, wantVaddr);
            case POOL -> freeFromPool(cpuAddr, size);
        }
    }

    /**
     * __dma_alloc_buffer(): a buddy block of get_order(size), split into single pages, the pages past
     * {@code size} freed one by one.
     */
    @KernelFunction(symbol = "__dma_alloc_buffer", file = "arch/arm/mm/dma-mapping.c")
    long dmaAllocBuffer(long size, @KernelFlags(Gfp.class) long gfp) {
        int order = ArmDmaMapping.getOrder(size);
        long page = pa.allocPages(gfp, order);
        if (page == Page.NULL) {
            return Page.NULL;
        }
        pa.free().splitPage(page, order);
        for (long p = page + (size >>> 12); p < page + (1L << order); p++) {
            pa.free().freePage(p);
        }
        return page;
    }

    /** __dma_free_buffer(): page by page. */
    @KernelFunction(symbol = "__dma_free_buffer", file = "arch/arm/mm/dma-mapping.c")
    void dmaFreeBuffer(long page, long size) {
        for (long p = page; p < page + (size >>> 12); p++) {
            pa.free().freePage(p);
        }
    }

    @KernelFunction(symbol = "__alloc_simple_buffer", file = "arch/arm/mm/dma-mapping.c")
    long allocSimpleBuffer(long size, @KernelFlags(Gfp.class) long gfp, long[] ret) {
        long page = dmaAllocBuffer(size, gfp);
        ret[0] = page;
        return page == Page.NULL ? 0 : remap.linearMap().pageAddress(page);
    }

    @KernelFunction(symbol = "__alloc_remap_buffer", file = "arch/arm/mm/dma-mapping.c")
    long allocRemapBuffer(long size, @KernelFlags(Gfp.class) long gfp, boolean wantVaddr, long[] ret) {
        long page = dmaAllocBuffer(size, gfp);
        ret[0] = page;
        if (page == Page.NULL || !wantVaddr) {
            return 0;
        }
        return remap.dmaCommonContiguousRemap(page, size);
    }

    /** __alloc_from_contiguous(): size/4K pages aligned to get_order(size); highmem is remapped, lowmem kept. */
    @KernelFunction(symbol = "__alloc_from_contiguous", file = "arch/arm/mm/dma-mapping.c")
    long allocFromContiguous(Device dev, long size, boolean wantVaddr, long[] ret) {
        long page = contiguous.dmaAllocFromContiguous(dev, size >>> 12, ArmDmaMapping.getOrder(size), false);
        ret[0] = page;
        if (page == Page.NULL || !wantVaddr) {
            return 0;
        }
        return ArmDmaMapping.highmem(pa, page) ? remap.dmaCommonContiguousRemap(page, size)
                : remap.linearMap().pageAddress(page);
    }

    @KernelFunction(symbol = "__free_from_contiguous", file = "arch/arm/mm/dma-mapping.c")
    void freeFromContiguous(Device dev, long page, long cpuAddr, long size, boolean wantVaddr) {
        if (wantVaddr && ArmDmaMapping.highmem(pa, page)) {
            remap.dmaCommonFreeRemap(cpuAddr, size);
        }
        contiguous.dmaReleaseFromContiguous(dev, page, size >>> 12);
    }

    /** __alloc_from_pool(): WARN "coherent pool not initialised!" without a pool. */
    @KernelFunction(symbol = "__alloc_from_pool", file = "arch/arm/mm/dma-mapping.c")
    long allocFromPool(long size, long[] ret) {
        ret[0] = Page.NULL;
        if (atomicPool == null) {
            printk.warn("arch/arm/mm/dma-mapping.c", "__alloc_from_pool", "coherent pool not initialised!");
            return 0;
        }
        long addr = atomicPool.alloc(size);
        if (addr != 0) {
            ret[0] = atomicPool.virtToPhys(addr) >>> 12;
        }
        return addr;
    }

    /** __free_from_pool(): true when the address lies in the pool. */
    @KernelFunction(symbol = "__free_from_pool", file = "arch/arm/mm/dma-mapping.c")
    boolean freeFromPool(long start, long size) {
        if (atomicPool == null || !atomicPool.hasAddr(start, size)) {
            return false;
        }
        atomicPool.free(start, size);
        return true;
    }

    /**
     * atomic_pool_init() (postcore_initcall): from the default CMA area if there is one, else a remapped buddy
     * buffer (GFP_KERNEL | GFP_DMA, GFP_DMA meaning ZONE_NORMAL without CONFIG_ZONE_DMA).
     */
    @KernelFunction(symbol = "atomic_pool_init", file = "arch/arm/mm/dma-mapping.c")
    int atomicPoolInit(long atomicPoolSize, boolean zoneDma) {
        GenPool pool = new GenPool(12);
        long[] page = {Page.NULL};
        long ptr = contiguous.devGetCmaArea(null) != null ? allocFromContiguous(null, atomicPoolSize, true, page)
                : allocRemapBuffer(atomicPoolSize, Gfp.GFP_KERNEL | (zoneDma ? Gfp.GFP_DMA : 0), true, page);
        if (ptr == 0) {
            printk.log(String.format("DMA: failed to allocate %x KiB pool for atomic coherent allocation",
                    atomicPoolSize / 1024));
            return -Errno.ENOMEM;
        }
        pool.addVirt(ptr, page[0] << 12, atomicPoolSize);
        atomicPool = pool;
        printk.log(String.format("DMA: preallocated %d KiB pool for atomic coherent allocations",
                atomicPoolSize / 1024));
        return 0;
    }
}
