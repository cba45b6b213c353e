package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.Kconfig;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.LinearMap;
import dev.dmatrace.kernel.mm.MemMap;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.Zone;
import dev.dmatrace.kernel.printk.Printk;

/**
 * kernel/dma/direct.c [5.10, 6.1]: coherent memory for devices without an IOMMU. The zone comes from the
 * coherent mask; CMA is tried first (dma_alloc_contiguous), the buddy allocator after any CMA failure; memory
 * the device cannot address is given back and the allocation retried in a lower zone. Non-coherent devices get
 * their buffer remapped uncached when the arch has DMA_DIRECT_REMAP (arm64), and non-blocking requests that need
 * such a remap come from the atomic pools. Without DMA_DIRECT_REMAP a non-coherent device goes to
 * {@code arch_dma_alloc} (32-bit ARM in 6.1). Physical and DMA addresses are equal (no dma-ranges offset).
 */
public final class DmaDirect {

    public static final long DMA_MAPPING_ERROR = -1L;
    private static final long PAGE_SIZE = 4096;

    private final KernelProfile profile;
    private final Kconfig kconfig;
    private final PageAlloc pa;
    private final DmaContiguous contiguous;
    private final AtomicPool pools;
    private final DmaRemap remap;
    private final Printk printk;
    private final DmaMapOps archDma;

    /** @param archDma {@code arch_dma_alloc} / {@code arch_dma_free}, or null when the arch has none */
    public DmaDirect(KernelProfile profile, Kconfig kconfig, PageAlloc pa, DmaContiguous contiguous, AtomicPool pools,
            DmaRemap remap, Printk printk, DmaMapOps archDma) {
        this.profile = profile;
        this.kconfig = kconfig;
        this.pa = pa;
        this.contiguous = contiguous;
        this.pools = pools;
        this.remap = remap;
        this.printk = printk;
        this.archDma = archDma;
    }

    LinearMap linearMap() {
        return remap.linearMap();
    }

    /** DMA_BIT_MASK(n). */
    public static long dmaBitMask(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /** min_not_zero() on u64. */
    static long minNotZero(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** dma_direct_optimal_gfp_mask(): GFP_DMA, GFP_DMA32 or none from the mask; the limit in {@code physLimit[0]}. */
    @KernelFunction(symbol = "dma_direct_optimal_gfp_mask", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    long dmaDirectOptimalGfpMask(Device dev, long dmaMask, long[] physLimit) {
        physLimit[0] = minNotZero(dmaMask, dev.busDmaLimit);
        if (kconfig.zoneDma() && Long.compareUnsigned(physLimit[0], dmaBitMask(kconfig.zoneDmaBits())) <= 0) {
            return Gfp.GFP_DMA;
        }
        if (kconfig.zoneDma32() && Long.compareUnsigned(physLimit[0], dmaBitMask(32)) <= 0) {
            return Gfp.GFP_DMA32;
        }
        return 0;
    }

    /** dma_coherent_ok(): the last byte is within min_not_zero(coherent_dma_mask, bus_dma_limit). */
    @KernelFunction(symbol = "dma_coherent_ok", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    boolean dmaCoherentOk(Device dev, long phys, long size) {
        return Long.compareUnsigned(phys + size - 1, minNotZero(dev.coherentDmaMask, dev.busDmaLimit)) <= 0;
    }

    private boolean pageHighMem(long page) {
        return pa.memMap().zoneIdx(page) == Zone.ZONE_HIGHMEM;
    }

    /**
     * __dma_direct_alloc_pages(): CMA, then the buddy allocator at get_order(size); a page the device cannot
     * address is freed and the buddy retried with GFP_DMA32, then GFP_DMA. [6.1] {@code allowHighmem} false
     * rejects a highmem CMA page.
     */
    @KernelFunction(symbol = "__dma_direct_alloc_pages", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    long dmaDirectAllocPages(Device dev, long size, @KernelFlags(Gfp.class) long gfp, boolean allowHighmem) {
        long[] physLimit = new long[1];
        gfp |= dmaDirectOptimalGfpMask(dev, dev.coherentDmaMask, physLimit);
        long page = contiguous.dmaAllocContiguous(dev, size, gfp);
        if (page != Page.NULL && (!dmaCoherentOk(dev, page << 12, size) || !allowHighmem && pageHighMem(page))) {
            contiguous.dmaFreeContiguous(dev, page, size);
            page = Page.NULL;
        }
        while (true) {
            if (page == Page.NULL) {
                page = pa.allocPages(gfp, DmaMapping.getOrder(size));
            }
            if (page == Page.NULL || dmaCoherentOk(dev, page << 12, size)) {
                return page;
            }
            contiguous.dmaFreeContiguous(dev, page, size);
            page = Page.NULL;
            if (kconfig.zoneDma32() && physLimit[0] != -1L && (gfp & (Gfp.GFP_DMA32 | Gfp.GFP_DMA)) == 0) {
                gfp |= Gfp.GFP_DMA32;
            } else if (kconfig.zoneDma() && (gfp & Gfp.GFP_DMA) == 0) {
                gfp = (gfp & ~Gfp.GFP_DMA32) | Gfp.GFP_DMA;
            } else {
                return Page.NULL;
            }
        }
    }

    /**
     * dma_direct_alloc(): in the 6.1 order (5.10 takes the same branches for the modelled configurations: no
     * memory encryption, no swiotlb pool, no DMA_GLOBAL_POOL, no ARCH_HAS_DMA_SET_UNCACHED).
     */
    @KernelFunction(symbol = "dma_direct_alloc", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    public long dmaDirectAlloc(Device dev, long size, long[] dmaHandle, @KernelFlags(Gfp.class) long gfp,
            @KernelFlags(DmaAttrs.class) long attrs) {
        size = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
        if ((attrs & DmaAttrs.DMA_ATTR_NO_WARN) != 0) {
            gfp |= Gfp.__GFP_NOWARN;
        }
        LinearMap lm = remap.linearMap();
        if ((attrs & DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING) != 0) {
            return dmaDirectAllocNoMapping(dev, size, dmaHandle, gfp);
        }
        boolean remapIt = false;
        if (!dev.dmaCoherent) {
            if (!kconfig.dmaDirectRemap()) {
                return archDma == null ? 0 : archDma.alloc(dev, size, dmaHandle, gfp, attrs);
            }
            remapIt = true;
            if (!Gfp.gfpflagsAllowBlocking(gfp)) {
                return dmaDirectAllocFromPool(dev, size, dmaHandle, gfp);
            }
        }
        long page = dmaDirectAllocPages(dev, size, gfp & ~Gfp.__GFP_ZERO, true);
        if (page == Page.NULL) {
            return 0;
        }
        if (pageHighMem(page)) {
            // [6.1] a highmem page is always remapped; [5.10] would reject it ("Rejecting highmem page from CMA.")
            if (!profile.atLeast(KernelProfile.V6_1)) {
                printk.log(dev.devName() + ": Rejecting highmem page from CMA.");
                dmaFreeDirectPages(dev, page, size);
                return 0;
            }
            remapIt = true;
        }
        long ret = remapIt ? remap.dmaCommonContiguousRemap(page, size) : lm.pageAddress(page);
        dmaHandle[0] = page << 12;
        return ret;
    }

    /** dma_direct_alloc_no_mapping() [6.1] (inline in 5.10): the cookie is the struct page pointer. */
    @KernelFunction(symbol = "dma_direct_alloc_no_mapping", file = "kernel/dma/direct.c", versions = {"6.1"})
    private long dmaDirectAllocNoMapping(Device dev, long size, long[] dmaHandle, long gfp) {
        long page = dmaDirectAllocPages(dev, size, gfp & ~Gfp.__GFP_ZERO, true);
        if (page == Page.NULL) {
            return 0;
        }
        dmaHandle[0] = page << 12;
        return remap.linearMap().pagePointer(page);
    }

    /** dma_direct_alloc_from_pool(): the atomic pools, zone from the coherent mask, dma_coherent_ok() as filter. */
    @KernelFunction(symbol = "dma_direct_alloc_from_pool", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    private long dmaDirectAllocFromPool(Device dev, long size, long[] dmaHandle, long gfp) {
        if (pools == null) {
            return 0;
        }
        long[] physLimit = new long[1];
        gfp |= dmaDirectOptimalGfpMask(dev, dev.coherentDmaMask, physLimit);
        long[] ret = new long[1];
        long page = pools.dmaAllocFromPool(dev, size, ret, gfp, (phys, sz) -> dmaCoherentOk(dev, phys, sz));
        if (page == Page.NULL) {
            return 0;
        }
        dmaHandle[0] = page << 12;
        return ret[0];
    }

    /** dma_direct_free(): cookie, arch, atomic pool, vunmap, then CMA or the buddy allocator by the handle. */
    @KernelFunction(symbol = "dma_direct_free", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    public void dmaDirectFree(Device dev, long size, long cpuAddr, long dmaAddr,
            @KernelFlags(DmaAttrs.class) long attrs) {
        LinearMap lm = remap.linearMap();
        if ((attrs & DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING) != 0) {
            contiguous.dmaFreeContiguous(dev, lm.pointerToPfn(cpuAddr), size);
            return;
        }
        if (!dev.dmaCoherent && !kconfig.dmaDirectRemap()) {
            if (archDma != null) {
                archDma.free(dev, size, cpuAddr, dmaAddr, attrs);
            }
            return;
        }
        if (pools != null && pools.dmaFreeFromPool(dev, cpuAddr, (size + PAGE_SIZE - 1) & -PAGE_SIZE)) {
            return;
        }
        if (lm.isVmallocAddr(cpuAddr)) {
            remap.dmaCommonFreeRemap(cpuAddr, size);
        }
        dmaFreeDirectPages(dev, dmaAddr >>> 12, size);
    }

    /** __dma_direct_free_pages() [6.1] (dma_free_contiguous() in 5.10). */
    @KernelFunction(symbol = "__dma_direct_free_pages", file = "kernel/dma/direct.c", versions = {"6.1"})
    private void dmaFreeDirectPages(Device dev, long page, long size) {
        contiguous.dmaFreeContiguous(dev, page, size);
    }

    /** dma_direct_supported(): the mask must reach the top of ZONE_DMA (or 4 GiB, or all of RAM). */
    @KernelFunction(symbol = "dma_direct_supported", file = "kernel/dma/direct.c", versions = {"5.10", "6.1"})
    public boolean dmaDirectSupported(Device dev, long mask) {
        MemMap mm = pa.memMap();
        long minMask = (mm.endPfn() - 1) << 12;
        if (kconfig.zoneDma()) {
            minMask = Math.min(minMask, dmaBitMask(kconfig.zoneDmaBits()));
        } else if (kconfig.zoneDma32()) {
            minMask = Math.min(minMask, dmaBitMask(32));
        }
        return Long.compareUnsigned(mask, minMask) >= 0;
    }

    /**
     * dma_direct_map_page(): the physical address, when the device can reach it; swiotlb bouncing is not
     * modelled, so an unreachable address is DMA_MAPPING_ERROR with the kernel's dev_WARN_ONCE text.
     */
    @KernelFunction(symbol = "dma_direct_map_page", file = "kernel/dma/direct.h", versions = {"5.10", "6.1"})
    public long dmaDirectMapPage(Device dev, long phys, long size) {
        long limit = minNotZero(dev.dmaMask, dev.busDmaLimit);
        if (Long.compareUnsigned(phys + size - 1, limit) > 0) {
            printk.warn("kernel/dma/direct.h", "dma_direct_map_page", String.format(
                    "%s: DMA addr 0x%016x+%d overflow (mask %x, bus limit %x).", dev.devName(), phys, size,
                    dev.dmaMask, dev.busDmaLimit));
            return DMA_MAPPING_ERROR;
        }
        return phys;
    }
}
