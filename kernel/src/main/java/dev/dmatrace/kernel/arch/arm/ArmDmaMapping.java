package dev.dmatrace.kernel.arch.arm;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.dma.DmaAttrs;
import dev.dmatrace.kernel.dma.DmaContiguous;
import dev.dmatrace.kernel.dma.DmaMapOps;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.dma.DmaRemap;
import dev.dmatrace.kernel.dma.GenPool;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.Zone;
import dev.dmatrace.kernel.printk.Printk;

/**
 * arch/arm/mm/dma-mapping.c, the coherent part: {@code arm_dma_ops} / {@code arm_coherent_dma_ops} (4.4, 5.10)
 * and {@code arch_dma_alloc} (6.1, non-coherent devices), the {@code __dma_alloc} decision in the version's
 * order ({@link ArmDmaBackends} holds the four backends), the ARM atomic pool, and the free path: 4.4 picks the
 * free backend again from the device (a coherent device's non-blocking buffer came from the buddy allocator but
 * is handed to cma_release, which refuses it: the pages leak); 5.10+ remember each buffer's allocator.
 */
public final class ArmDmaMapping {

    /** The order of the decision tree. */
    public enum Order {
        /** v4.1 and before: simple for coherent, pool for atomic, remap without CMA, else CMA. */
        V4_1,
        /** v4.4: CMA for any blocking request with an area, then simple, pool, remap. */
        V4_4,
        /** 5.10/6.1: the allocator table (cma, simple, remap, pool) with the buffer list. */
        TABLE
    }

    private final KernelProfile profile;
    private final Order order;
    private final boolean zoneDma;
    private final boolean dmaApiDebug;
    private final DmaContiguous contiguous;
    private final Printk printk;
    private final ArmDmaBackends backends;
    private final ArmDmaBufs bufs = new ArmDmaBufs();
    private final DmaMapOps armDmaOps = new Ops("arm_dma_ops", false);
    private final DmaMapOps armCoherentDmaOps = new Ops("arm_coherent_dma_ops", true);

    /**
     * @param zoneDma     CONFIG_ZONE_DMA: without it gfp_zone() maps __GFP_DMA to ZONE_NORMAL (OPT_ZONE_DMA)
     * @param dmaApiDebug CONFIG_DMA_API_DEBUG, which adds __dma_alloc's "too big" check
     */
    public ArmDmaMapping(KernelProfile profile, Order order, boolean zoneDma, boolean dmaApiDebug, PageAlloc pa,
            DmaContiguous contiguous, DmaRemap remap, Printk printk) {
        this.profile = profile;
        this.order = order;
        this.zoneDma = zoneDma;
        this.dmaApiDebug = dmaApiDebug;
        this.contiguous = contiguous;
        this.printk = printk;
        this.backends = new ArmDmaBackends(pa, contiguous, remap, printk);
    }

    /** The decision order a profile uses by default. */
    public static Order defaultOrder(KernelProfile p) {
        return p.atLeast(KernelProfile.V5_10) ? Order.TABLE : Order.V4_4;
    }

    public DmaMapOps armDmaOps() {
        return armDmaOps;
    }

    public DmaMapOps armCoherentDmaOps() {
        return armCoherentDmaOps;
    }

    /** {@code arch_dma_alloc} / {@code arch_dma_free} of 6.1 (non-coherent devices under dma-direct). */
    public DmaMapOps archDma() {
        return armDmaOps;
    }

    private final class Ops implements DmaMapOps {
        private final String name;
        private final boolean coherent;

        Ops(String name, boolean coherent) {
            this.name = name;
            this.coherent = coherent;
        }

        @Override
        public long alloc(Device dev, long size, long[] dmaHandle, long gfp, long attrs) {
            return coherent ? armCoherentDmaAlloc(dev, size, dmaHandle, gfp, attrs)
                    : armDmaAlloc(dev, size, dmaHandle, gfp, attrs);
        }

        @Override
        public void free(Device dev, long size, long cpuAddr, long dmaHandle, long attrs) {
            armDmaFree(dev, size, cpuAddr, dmaHandle, attrs, coherent);
        }

        @Override
        public long mapPage(Device dev, long phys, long size, int dir) {
            return coherent ? armCoherentDmaMapPage(dev, phys, size, dir) : armDmaMapPage(dev, phys, size, dir);
        }

        @Override
        public void unmapPage(Device dev, long dmaAddr, long size, int dir) {
            if (!coherent) {
                armDmaUnmapPage(dev, dmaAddr, size, dir);
            }
        }

        @Override
        public boolean dmaSupported(Device dev, long mask) {
            return dmaSupportedArm(dev, mask, false);
        }

        @Override
        public String name() {
            return name;
        }
    }

    /**
     * arm_dma_map_page(): __dma_page_cpu_to_dev() (cache maintenance: the simulation holds no data, so nothing
     * to write back) and pfn_to_dma(), which is the physical address here (no dma_pfn_offset is modelled). A
     * NULL device is fine: pfn_to_dma() checks it.
     */
    @KernelFunction(symbol = "arm_dma_map_page", file = "arch/arm/mm/dma-mapping.c", versions = {"4.4", "5.10"})
    long armDmaMapPage(Device dev, long phys, long size, int dir) {
        return phys;
    }

    /** arm_coherent_dma_map_page(): pfn_to_dma() without cache maintenance. */
    @KernelFunction(symbol = "arm_coherent_dma_map_page", file = "arch/arm/mm/dma-mapping.c",
            versions = {"4.4", "5.10"})
    long armCoherentDmaMapPage(Device dev, long phys, long size, int dir) {
        return phys;
    }

    /**
     * arm_dma_unmap_page(): __dma_page_dev_to_cpu() (cache invalidation, nothing to model without data);
     * arm_coherent_dma_ops has no unmap_page.
     */
    @KernelFunction(symbol = "arm_dma_unmap_page", file = "arch/arm/mm/dma-mapping.c", versions = {"4.4", "5.10"})
    void armDmaUnmapPage(Device dev, long handle, long size, int dir) {
    }

    @KernelFunction(symbol = "arm_dma_alloc", file = "arch/arm/mm/dma-mapping.c")
    long armDmaAlloc(Device dev, long size, long[] handle, @KernelFlags(Gfp.class) long gfp,
            @KernelFlags(DmaAttrs.class) long attrs) {
        return dmaAlloc(dev, size, handle, gfp, false, attrs);
    }

    @KernelFunction(symbol = "arm_coherent_dma_alloc", file = "arch/arm/mm/dma-mapping.c", versions = {"4.4", "5.10"})
    long armCoherentDmaAlloc(Device dev, long size, long[] handle, @KernelFlags(Gfp.class) long gfp,
            @KernelFlags(DmaAttrs.class) long attrs) {
        return dmaAlloc(dev, size, handle, gfp, true, attrs);
    }

    /**
     * __dma_supported(): the mask must reach every page the DMA zone can hand out (all of RAM without
     * ZONE_DMA); a smaller one is refused with the kernel's warning when {@code warn}.
     */
    @KernelFunction(symbol = "__dma_supported", file = "arch/arm/mm/dma-mapping.c", versions = {"4.4", "5.10"})
    boolean dmaSupportedArm(Device dev, long mask, boolean warn) {
        long maxDmaPfn = backends.maxPfn(); // min(max_pfn, arm_dma_pfn_limit): no ZONE_DMA, so max_pfn
        if ((mask >>> 12) < maxDmaPfn) {
            if (warn) {
                // C's %#lx prints a zero as "0"
                printk.log(String.format("%s: Coherent DMA mask %#x (pfn 0-%#x) covers a smaller range of system "
                        + "memory than the DMA zone pfn 0x0-%#x", devPrefix(dev), mask, (mask >>> 12) + 1,
                        maxDmaPfn + 1));
            }
            return false;
        }
        return true;
    }

    private static String devPrefix(Device dev) {
        return dev == null ? "(NULL device *)" : dev.driverString() + " " + dev.devName();
    }

    /** get_coherent_dma_mask() [4.4]: NULL device = 32 bits; an unset mask warns and is 0. */
    @KernelFunction(symbol = "get_coherent_dma_mask", file = "arch/arm/mm/dma-mapping.c", versions = {"4.4"})
    private long getCoherentDmaMask(Device dev) {
        if (dev == null) {
            return 0xffffffffL;
        }
        if (dev.coherentDmaMask == 0) {
            printk.log(devPrefix(dev) + ": coherent DMA mask is unset");
            return 0;
        }
        return dmaSupportedArm(dev, dev.coherentDmaMask, true) ? dev.coherentDmaMask : 0;
    }

    /**
     * __dma_alloc(): the mask, GFP_DMA below 4 GiB, then exactly one backend — no fallback between them. The
     * handle is pfn_to_dma() of the first page; with NO_KERNEL_MAPPING the page pointer is the cookie.
     */
    @KernelFunction(symbol = "__dma_alloc", file = "arch/arm/mm/dma-mapping.c")
    long dmaAlloc(Device dev, long size, long[] handle, @KernelFlags(Gfp.class) long gfp, boolean isCoherent,
            @KernelFlags(DmaAttrs.class) long attrs) {
        long mask = profile.atLeast(KernelProfile.V5_10)
                ? minNotZero(dev == null ? 0 : dev.coherentDmaMask, dev == null ? 0 : dev.busDmaLimit)
                : getCoherentDmaMask(dev);
        if (mask == 0 && !profile.atLeast(KernelProfile.V5_10)) {
            return 0;
        }
        long limit = (mask + 1) & ~mask;
        if (dmaApiDebug && limit != 0 && Long.compareUnsigned(size, limit) >= 0) {
            printk.log(String.format("%s: coherent allocation too big (requested %#x mask %#x)", devPrefix(dev),
                    size, mask));
            return 0;
        }
        if (Long.compareUnsigned(mask, 0xffffffffL) < 0 && zoneDma) {
            gfp |= Gfp.GFP_DMA;
        }
        gfp &= ~Gfp.__GFP_COMP;
        handle[0] = -1L;
        size = (size + 4095) & -4096L;
        boolean wantVaddr = (attrs & DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING) == 0;
        ArmDmaBackends.Kind kind = choose(dev, gfp, isCoherent);
        long[] page = {Page.NULL};
        long addr = backends.alloc(kind, dev, size, gfp, wantVaddr, page);
        if (page[0] == Page.NULL) {
            return 0;
        }
        handle[0] = page[0] << 12;
        long ret = wantVaddr ? addr : backends.linearMap().pagePointer(page[0]);
        if (order == Order.TABLE) {
            bufs.add(ret, kind);
        }
        return ret;
    }

    /** The backend, first match wins, in the configured order. */
    private ArmDmaBackends.Kind choose(Device dev, long gfp, boolean isCoherent) {
        boolean blocking = Gfp.gfpflagsAllowBlocking(gfp);
        boolean cma = contiguous.devGetCmaArea(dev) != null;
        return switch (order) {
            case V4_1 -> isCoherent ? ArmDmaBackends.Kind.SIMPLE : !blocking ? ArmDmaBackends.Kind.POOL
                    : !cma ? ArmDmaBackends.Kind.REMAP : ArmDmaBackends.Kind.CMA;
            case V4_4, TABLE -> cma && blocking ? ArmDmaBackends.Kind.CMA : isCoherent ? ArmDmaBackends.Kind.SIMPLE
                    : !blocking ? ArmDmaBackends.Kind.POOL : ArmDmaBackends.Kind.REMAP;
        };
    }

    /**
     * __arm_dma_free(). [4.4] the backend is chosen again: pool by address (non-coherent only), buddy when the
     * device has no CMA area, else CMA — whose cma_release() return is ignored. [5.10+] the buffer list says
     * which allocator made it; an unknown address is a WARN "Freeing invalid buffer %p".
     */
    @KernelFunction(symbol = "__arm_dma_free", file = "arch/arm/mm/dma-mapping.c")
    void armDmaFree(Device dev, long size, long cpuAddr, long handle, @KernelFlags(DmaAttrs.class) long attrs,
            boolean isCoherent) {
        long page = handle >>> 12;
        boolean wantVaddr = (attrs & DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING) == 0;
        size = (size + 4095) & -4096L;
        if (order == Order.TABLE) {
            ArmDmaBackends.Kind kind = bufs.remove(cpuAddr);
            if (kind == null) {
                printk.warn("arch/arm/mm/dma-mapping.c", "__arm_dma_free",
                        String.format("Freeing invalid buffer %016x", cpuAddr));
                return;
            }
            backends.free(kind, dev, page, cpuAddr, size, wantVaddr);
            return;
        }
        if (!isCoherent && backends.freeFromPool(cpuAddr, size)) {
            return;
        }
        if (contiguous.devGetCmaArea(dev) == null) {
            ArmDmaBackends.Kind buddy = isCoherent ? ArmDmaBackends.Kind.SIMPLE : ArmDmaBackends.Kind.REMAP;
            backends.free(buddy, dev, page, cpuAddr, size, wantVaddr);
        } else {
            backends.free(ArmDmaBackends.Kind.CMA, dev, page, cpuAddr, size, wantVaddr);
        }
    }

    /** The ARM atomic pool, a postcore_initcall: 256 KiB unless {@code coherent_pool=}. */
    public int atomicPoolInit(long coherentPool) {
        return backends.atomicPoolInit(coherentPool > 0 ? coherentPool : 256 << 10, zoneDma);
    }

    private static long minNotZero(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** The pool, for tests: null before {@link #atomicPoolInit}. */
    public GenPool atomicPool() {
        return backends.atomicPool();
    }

    static boolean highmem(PageAlloc pa, long pfn) {
        return pa.memMap().zoneIdx(pfn) == Zone.ZONE_HIGHMEM;
    }

    /** dma_mapping's get_order, re-exported for the backends. */
    static int getOrder(long size) {
        return DmaMapping.getOrder(size);
    }
}
