package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.LinearMap;
import dev.dmatrace.kernel.printk.Printk;
import dev.dmatrace.kernel.trace.events.Dma;

/**
 * kernel/dma/mapping.c and the inlines of include/linux/dma-mapping.h (4.4: asm-generic/dma-mapping-common.h):
 * the driver-facing API. {@code dma_alloc_coherent} returns the CPU address as a {@code long} (0 is NULL) and
 * writes the DMA handle to {@code dmaHandle[0]}, like the kernel's {@code dma_addr_t *}. The order is the
 * kernel's: the device's coherent pool (exclusive), then dma-direct when the device has no ops ([5.10+]) or the
 * ops' alloc, then [6.12] trace_dma_alloc, then dma-debug.
 */
public final class DmaMapping {

    public static final int DMA_BIDIRECTIONAL = 0;
    public static final int DMA_TO_DEVICE = 1;
    public static final int DMA_FROM_DEVICE = 2;

    private final KernelProfile profile;
    private final DmaCoherent coherent;
    private final DmaDirect direct;
    private final DmaDebug debug;
    private final Dma trace;
    private final Printk printk;
    private final DmaMapOps archDefaultOps;
    private final LinearMap linearMap;
    private boolean warnedNoMask;

    /**
     * @param direct         dma-direct, null on 4.4
     * @param debug          dma-debug when CONFIG_DMA_API_DEBUG, else null
     * @param archDefaultOps what get_dma_ops() returns for a device without ops (4.4 ARM: arm_dma_ops), or null
     * @param linearMap      virt_to_phys() of the CPU addresses dma_map_single() is given
     */
    public DmaMapping(KernelProfile profile, DmaCoherent coherent, DmaDirect direct, DmaDebug debug, Dma trace,
            Printk printk, DmaMapOps archDefaultOps, LinearMap linearMap) {
        this.linearMap = linearMap;
        this.profile = profile;
        this.coherent = coherent;
        this.direct = direct;
        this.debug = debug;
        this.trace = trace;
        this.printk = printk;
        this.archDefaultOps = archDefaultOps;
    }

    /** get_order(): the smallest order whose 2^order pages hold {@code size} bytes. */
    public static int getOrder(long size) {
        long pages = (size - 1) >>> 12;
        return pages == 0 ? 0 : 64 - Long.numberOfLeadingZeros(pages);
    }

    public DmaDebug debug() {
        return debug;
    }

    /** get_dma_ops(): the device's ops, else the arch default (null: dma-direct). */
    @KernelFunction(symbol = "get_dma_ops", file = "include/linux/dma-map-ops.h")
    public DmaMapOps getDmaOps(Device dev) {
        if (dev != null && dev.ops != null) {
            return dev.ops;
        }
        return archDefaultOps;
    }

    private void requireDevice(Device dev) {
        if (dev == null && profile.atLeast(KernelProfile.V5_10)) {
            throw new IllegalArgumentException("dma_alloc_attrs(NULL, ...): 5.10+ dereferences dev->coherent_dma_mask");
        }
    }

    /** dma_alloc_coherent(): dma_alloc_attrs() without attrs. */
    @KernelFunction(symbol = "dma_alloc_coherent", file = "include/linux/dma-mapping.h")
    public long dmaAllocCoherent(Device dev, long size, long[] dmaHandle, @KernelFlags(Gfp.class) long gfp) {
        return dmaAllocAttrs(dev, size, dmaHandle, gfp, 0);
    }

    /** dma_alloc_attrs(). */
    @KernelFunction(symbol = "dma_alloc_attrs", file = "kernel/dma/mapping.c")
    public long dmaAllocAttrs(Device dev, long size, long[] dmaHandle, @KernelFlags(Gfp.class) long flag,
            @KernelFlags(DmaAttrs.class) long attrs) {
        requireDevice(dev);
        DmaMapOps ops = getDmaOps(dev);
        boolean v612 = profile.atLeast(KernelProfile.V6_12);
        if (dev != null && dev.coherentDmaMask == 0 && profile.atLeast(KernelProfile.V5_10) && !warnedNoMask) {
            warnedNoMask = true;
            printk.warn("kernel/dma/mapping.c", "dma_alloc_attrs", null);
        }
        if (v612 && (flag & Gfp.__GFP_COMP) != 0) {
            printk.warn("kernel/dma/mapping.c", "dma_alloc_attrs", null);
            return 0;
        }
        long[] cpuAddr = new long[1];
        if (coherent.dmaAllocFromDevCoherent(dev, size, dmaHandle, cpuAddr)) {
            if (v612) {
                trace.traceDmaAlloc(dev.devName(), cpuAddr[0], dmaHandle[0], size, flag, attrs);
            }
            return cpuAddr[0];
        }
        if (profile.atLeast(KernelProfile.V5_10)) {
            // let the implementation decide on the zone to allocate from
            flag &= ~(Gfp.__GFP_DMA | Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM);
        }
        long ret;
        if (ops == null) {
            ret = direct.dmaDirectAlloc(dev, size, dmaHandle, flag, attrs);
        } else {
            ret = ops.alloc(dev, size, dmaHandle, flag, attrs);
        }
        if (v612) {
            trace.traceDmaAlloc(dev.devName(), ret, ret == 0 ? 0 : dmaHandle[0], size, flag, attrs);
        }
        if (debug != null) {
            debug.debugDmaAllocCoherent(dev, size, dmaHandle[0], ret, dmaHandle[0]);
        }
        return ret;
    }

    /** dma_free_coherent(): dma_free_attrs() without attrs. */
    @KernelFunction(symbol = "dma_free_coherent", file = "include/linux/dma-mapping.h")
    public void dmaFreeCoherent(Device dev, long size, long cpuAddr, long dmaHandle) {
        dmaFreeAttrs(dev, size, cpuAddr, dmaHandle, 0);
    }

    /** dma_free_attrs(): the device pool first; a NULL address is ignored; then dma-debug and the backend. */
    @KernelFunction(symbol = "dma_free_attrs", file = "kernel/dma/mapping.c")
    public void dmaFreeAttrs(Device dev, long size, long cpuAddr, long dmaHandle,
            @KernelFlags(DmaAttrs.class) long attrs) {
        requireDevice(dev);
        DmaMapOps ops = getDmaOps(dev);
        if (coherent.dmaReleaseFromDevCoherent(dev, getOrder(size), cpuAddr)) {
            return;
        }
        if (cpuAddr == 0) {
            return;
        }
        if (profile.atLeast(KernelProfile.V6_12)) {
            trace.traceDmaFree(dev.devName(), cpuAddr, dmaHandle, size, attrs);
        }
        if (debug != null) {
            debug.debugDmaFreeCoherent(dev, size, cpuAddr, dmaHandle, dmaHandle);
        }
        if (ops == null) {
            direct.dmaDirectFree(dev, size, cpuAddr, dmaHandle, attrs);
        } else {
            ops.free(dev, size, cpuAddr, dmaHandle, attrs);
        }
    }

    /** dma_supported(): dma-direct's rule, or the ops' own. */
    @KernelFunction(symbol = "dma_supported", file = "kernel/dma/mapping.c")
    public boolean dmaSupported(Device dev, long mask) {
        DmaMapOps ops = getDmaOps(dev);
        return ops == null ? direct.dmaDirectSupported(dev, mask) : ops.dmaSupported(dev, mask);
    }

    /** dma_set_mask(): -EIO without a dma_mask pointer or for an unsupported mask. */
    @KernelFunction(symbol = "dma_set_mask", file = "kernel/dma/mapping.c")
    public int dmaSetMask(Device dev, long mask) {
        if (!dev.hasDmaMask || !dmaSupported(dev, mask)) {
            return -Errno.EIO;
        }
        dev.dmaMask = mask;
        return 0;
    }

    /** dma_set_coherent_mask(): -EIO for an unsupported mask. */
    @KernelFunction(symbol = "dma_set_coherent_mask", file = "kernel/dma/mapping.c")
    public int dmaSetCoherentMask(Device dev, long mask) {
        if (!dmaSupported(dev, mask)) {
            return -Errno.EIO;
        }
        dev.coherentDmaMask = mask;
        return 0;
    }

    /** dma_set_mask_and_coherent(). */
    @KernelFunction(symbol = "dma_set_mask_and_coherent", file = "include/linux/dma-mapping.h")
    public int dmaSetMaskAndCoherent(Device dev, long mask) {
        int rc = dmaSetMask(dev, mask);
        return rc == 0 ? dmaSetCoherentMask(dev, mask) : rc;
    }

    /** dma_map_single(): dma_map_page_attrs() of virt_to_page(cpuAddr) at its offset; a linear-map address. */
    @KernelFunction(symbol = "dma_map_single_attrs", file = "include/linux/dma-mapping.h")
    public long dmaMapSingle(Device dev, long cpuAddr, long size, int dir) {
        return dmaMapPageAttrs(dev, linearMap.virtToPhys(cpuAddr), size, dir);
    }

    /**
     * dma_map_page_attrs() of the physical address {@code phys} (page and offset): dma-direct when the device has
     * no ops, else {@code ops->map_page}. 5.10+ refuse a device without a DMA mask first (and dereference a NULL
     * device doing so); 4.4's dma_map_single_attrs() goes straight to the ops, which take a NULL device.
     */
    @KernelFunction(symbol = "dma_map_page_attrs", file = "kernel/dma/mapping.c")
    public long dmaMapPageAttrs(Device dev, long phys, long size, int dir) {
        DmaMapOps ops = getDmaOps(dev);
        if (profile.atLeast(KernelProfile.V5_10) && !dev.hasDmaMask) {
            printk.warn("kernel/dma/mapping.c", "dma_map_page_attrs", null);
            return DmaDirect.DMA_MAPPING_ERROR;
        }
        long addr = ops == null ? direct.dmaDirectMapPage(dev, phys, size) : ops.mapPage(dev, phys, size, dir);
        if (debug != null) {
            debug.debugDmaMapPage(dev, phys, size, dir, addr);
        }
        return addr;
    }

    /** dma_unmap_single() = dma_unmap_page_attrs(): the ops' unmap_page (dma-direct: nothing to undo), then dma-debug. */
    @KernelFunction(symbol = "dma_unmap_page_attrs", file = "kernel/dma/mapping.c")
    public void dmaUnmapSingle(Device dev, long addr, long size, int dir) {
        DmaMapOps ops = getDmaOps(dev);
        if (ops != null) {
            ops.unmapPage(dev, addr, size, dir);
        }
        if (debug != null) {
            debug.debugDmaUnmapPage(dev, addr, size, dir);
        }
    }

    /**
     * dma_mapping_error(): 5.10+ -ENOMEM for DMA_MAPPING_ERROR, else 0; 4.4 (no ops->mapping_error on ARM)
     * {@code dma_addr == DMA_ERROR_CODE}, i.e. 1.
     */
    @KernelFunction(symbol = "dma_mapping_error", file = "include/linux/dma-mapping.h")
    public int dmaMappingError(Device dev, long dmaAddr) {
        if (dmaAddr != DmaDirect.DMA_MAPPING_ERROR) {
            return 0;
        }
        return profile.atLeast(KernelProfile.V5_10) ? -Errno.ENOMEM : 1;
    }
}
