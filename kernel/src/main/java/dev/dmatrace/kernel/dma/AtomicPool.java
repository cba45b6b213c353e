package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.Kconfig;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.FreeArea;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.Zone;
import dev.dmatrace.kernel.printk.Printk;
import java.util.function.BiPredicate;

/**
 * kernel/dma/pool.c [5.10, 6.1]: three gen_pools for requests that cannot sleep ({@code GFP_KERNEL},
 * {@code GFP_KERNEL|GFP_DMA}, {@code GFP_KERNEL|GFP_DMA32}), each filled at boot from the default CMA area when
 * it lies in the pool's zone, else from the buddy allocator. A pool that drops below the configured size is grown
 * by its current size; the kernel does that in a work item, the port right after the allocation that asked.
 */
public final class AtomicPool {

    private static final long SZ_128K = 128 << 10;
    private static final int PAGE_SHIFT = 12;

    private final KernelProfile profile;
    private final Kconfig kconfig;
    private final PageAlloc pa;
    private final DmaContiguous contiguous;
    private final DmaRemap remap;
    private final Printk printk;
    private long atomicPoolSize;
    private GenPool atomicPoolDma;
    private GenPool atomicPoolDma32;
    private GenPool atomicPoolKernel;

    public AtomicPool(KernelProfile profile, Kconfig kconfig, PageAlloc pa, DmaContiguous contiguous, DmaRemap remap,
            Printk printk) {
        this.profile = profile;
        this.kconfig = kconfig;
        this.pa = pa;
        this.contiguous = contiguous;
        this.remap = remap;
        this.printk = printk;
    }

    /** dma_atomic_pool_init() (postcore_initcall); {@code coherentPool} is {@code coherent_pool=} or 0. */
    @KernelFunction(symbol = "dma_atomic_pool_init", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    public int dmaAtomicPoolInit(long coherentPool) {
        atomicPoolSize = coherentPool;
        if (atomicPoolSize == 0) {
            long pages = Math.min(pa.totalramPages() / ((1L << 30) / SZ_128K), 1L << (FreeArea.MAX_ORDER - 1));
            atomicPoolSize = Math.max(pages << PAGE_SHIFT, SZ_128K);
        }
        int ret = 0;
        atomicPoolKernel = dmaAtomicPoolInitOne(atomicPoolSize, Gfp.GFP_KERNEL);
        if (atomicPoolKernel == null) {
            ret = -Errno.ENOMEM;
        }
        // [5.10] CONFIG_ZONE_DMA; [6.1] has_managed_dma()
        if (profile.atLeast(KernelProfile.V6_1) ? hasManagedDma() : kconfig.zoneDma()) {
            atomicPoolDma = dmaAtomicPoolInitOne(atomicPoolSize, Gfp.GFP_KERNEL | Gfp.GFP_DMA);
            if (atomicPoolDma == null) {
                ret = -Errno.ENOMEM;
            }
        }
        if (kconfig.zoneDma32()) {
            atomicPoolDma32 = dmaAtomicPoolInitOne(atomicPoolSize, Gfp.GFP_KERNEL | Gfp.GFP_DMA32);
            if (atomicPoolDma32 == null) {
                ret = -Errno.ENOMEM;
            }
        }
        return ret;
    }

    private boolean hasManagedDma() {
        return kconfig.zoneDma() && pa.zone(Zone.ZONE_DMA).managedPages() > 0;
    }

    @KernelFunction(symbol = "__dma_atomic_pool_init", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    private GenPool dmaAtomicPoolInitOne(long poolSize, @KernelFlags(Gfp.class) long gfp) {
        GenPool pool = new GenPool(PAGE_SHIFT);
        if (atomicPoolExpand(pool, poolSize, gfp) != 0) {
            printk.log(String.format("DMA: failed to allocate %d KiB %s pool for atomic allocation",
                    poolSize >> 10, Gfp.format(gfp)));
            return null;
        }
        printk.log(String.format("DMA: preallocated %d KiB %s pool for atomic allocations", pool.size() >> 10,
                Gfp.format(gfp)));
        return pool;
    }

    /** cma_in_zone(): the default CMA area ends below the limit of the zone {@code gfp} asks for. */
    @KernelFunction(symbol = "cma_in_zone", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    private boolean cmaInZone(long gfp) {
        CmaArea cma = contiguous.devGetCmaArea(null);
        if (cma == null || cma.count() == 0) {
            return false;
        }
        long end = ((cma.basePfn() + cma.count()) << PAGE_SHIFT) - 1;
        if (kconfig.zoneDma() && (gfp & Gfp.GFP_DMA) != 0) {
            return end <= DmaDirect.dmaBitMask(kconfig.zoneDmaBits());
        }
        if (kconfig.zoneDma32() && (gfp & Gfp.GFP_DMA32) != 0) {
            return end <= DmaDirect.dmaBitMask(32);
        }
        return true;
    }

    /** atomic_pool_expand(): the largest order up to get_order(poolSize) that CMA or the buddy allocator gives. */
    @KernelFunction(symbol = "atomic_pool_expand", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    private int atomicPoolExpand(GenPool pool, long poolSize, @KernelFlags(Gfp.class) long gfp) {
        int order = Math.min(DmaMapping.getOrder(poolSize), FreeArea.MAX_ORDER - 1);
        long page = Page.NULL;
        do {
            poolSize = 1L << (PAGE_SHIFT + order);
            if (cmaInZone(gfp)) {
                page = contiguous.dmaAllocFromContiguous(null, 1L << order, order, false);
            }
            if (page == Page.NULL) {
                page = pa.allocPages(gfp, order);
            }
        } while (page == Page.NULL && order-- > 0);
        if (page == Page.NULL) {
            return -Errno.ENOMEM;
        }
        long addr = kconfig.dmaDirectRemap() ? remap.dmaCommonContiguousRemap(page, poolSize)
                : remap.linearMap().pageAddress(page);
        return pool.addVirt(addr, page << PAGE_SHIFT, poolSize);
    }

    /** atomic_pool_work_fn(): grows each pool that fell below atomic_pool_size by its current size. */
    @KernelFunction(symbol = "atomic_pool_work_fn", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    private void atomicPoolWorkFn() {
        atomicPoolResize(atomicPoolDma, Gfp.GFP_KERNEL | Gfp.GFP_DMA);
        atomicPoolResize(atomicPoolDma32, Gfp.GFP_KERNEL | Gfp.GFP_DMA32);
        atomicPoolResize(atomicPoolKernel, Gfp.GFP_KERNEL);
    }

    private void atomicPoolResize(GenPool pool, long gfp) {
        if (pool != null && pool.avail() < atomicPoolSize) {
            atomicPoolExpand(pool, pool.size(), gfp);
        }
    }

    /** dma_guess_pool(): by zone first, then kernel -> dma32 (or dma) -> dma -> none. */
    private GenPool dmaGuessPool(GenPool prev, long gfp) {
        if (prev == null) {
            if (kconfig.zoneDma32() && (gfp & Gfp.GFP_DMA32) != 0) {
                return atomicPoolDma32;
            }
            if ((gfp & Gfp.GFP_DMA) != 0 && atomicPoolDma != null) {
                return atomicPoolDma;
            }
            return atomicPoolKernel;
        }
        if (prev == atomicPoolKernel) {
            return atomicPoolDma32 != null ? atomicPoolDma32 : atomicPoolDma;
        }
        if (prev == atomicPoolDma32) {
            return atomicPoolDma;
        }
        return null;
    }

    /**
     * dma_alloc_from_pool(): the first guessed pool whose memory {@code physAddrOk} accepts; the CPU address goes
     * to {@code cpuAddr[0]}. All pools failing is a WARN ("Failed to get suitable pool for %s").
     */
    @KernelFunction(symbol = "dma_alloc_from_pool", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    public long dmaAllocFromPool(Device dev, long size, long[] cpuAddr, @KernelFlags(Gfp.class) long gfp,
            BiPredicate<Long, Long> physAddrOk) {
        GenPool pool = null;
        while ((pool = dmaGuessPool(pool, gfp)) != null) {
            long page = dmaAllocFromPoolOne(size, pool, cpuAddr, physAddrOk);
            if (page != Page.NULL) {
                return page;
            }
        }
        printk.warn("kernel/dma/pool.c", "dma_alloc_from_pool",
                "Failed to get suitable pool for " + (dev == null ? "(null)" : dev.devName()));
        return Page.NULL;
    }

    @KernelFunction(symbol = "__dma_alloc_from_pool", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    private long dmaAllocFromPoolOne(long size, GenPool pool, long[] cpuAddr, BiPredicate<Long, Long> physAddrOk) {
        long addr = pool.alloc(size);
        if (addr == 0) {
            return Page.NULL;
        }
        long phys = pool.virtToPhys(addr);
        if (physAddrOk != null && !physAddrOk.test(phys, size)) {
            pool.free(addr, size);
            return Page.NULL;
        }
        if (pool.avail() < atomicPoolSize) {
            atomicPoolWorkFn();
        }
        cpuAddr[0] = addr;
        return phys >>> PAGE_SHIFT;
    }

    /** dma_free_from_pool(): true when one of the pools holds [start, start + size). */
    @KernelFunction(symbol = "dma_free_from_pool", file = "kernel/dma/pool.c", versions = {"5.10", "6.1"})
    public boolean dmaFreeFromPool(Device dev, long start, long size) {
        GenPool pool = null;
        while ((pool = dmaGuessPool(pool, 0)) != null) {
            if (pool.hasAddr(start, size)) {
                pool.free(start, size);
                return true;
            }
        }
        return false;
    }

    /** Whether one of the pools holds [start, start + size): dma_free_from_pool()'s test, without the free. */
    public boolean hasAddr(long start, long size) {
        GenPool pool = null;
        while ((pool = dmaGuessPool(pool, 0)) != null) {
            if (pool.hasAddr(start, size)) {
                return true;
            }
        }
        return false;
    }

    /** The pools' sizes in bytes: kernel, dma, dma32 (0 for a pool that does not exist). */
    public long[] poolSizes() {
        return new long[] {sizeOf(atomicPoolKernel), sizeOf(atomicPoolDma), sizeOf(atomicPoolDma32)};
    }

    private static long sizeOf(GenPool p) {
        return p == null ? 0 : p.size();
    }
}
