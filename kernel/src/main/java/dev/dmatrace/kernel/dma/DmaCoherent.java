package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;

/**
 * kernel/dma/coherent.c (4.4: drivers/base/dma-coherent.c): per-device coherent pools. A pool hands out
 * 2^get_order(size) pages aligned to that size (bitmap_find_free_region). Whether a full pool falls back to the
 * normal allocator is the one version difference: 4.4 only when the pool was not declared
 * {@code DMA_MEMORY_EXCLUSIVE}, 5.10+ never (the flag is gone; a device with a pool only uses the pool).
 */
public final class DmaCoherent {

    private static final int PAGE_SHIFT = 12;

    private final KernelProfile profile;
    private final DmaRemap remap;

    public DmaCoherent(KernelProfile profile, DmaRemap remap) {
        this.profile = profile;
        this.remap = remap;
    }

    /**
     * dma_init_coherent_memory(): memremap()s the range write-combining and builds the bitmap. Returns the pool,
     * or null for a zero size (-EINVAL in the kernel). {@code useDmaPfnOffset}: DT pools compute handles from the
     * physical base.
     */
    @KernelFunction(symbol = "dma_init_coherent_memory", file = "kernel/dma/coherent.c")
    public DmaCoherentMem dmaInitCoherentMemory(long physAddr, long deviceAddr, long size, int flags,
            boolean useDmaPfnOffset) {
        if (size == 0) {
            return null;
        }
        int pages = (int) (size >>> PAGE_SHIFT);
        long virt = remap.dmaCommonContiguousRemap(physAddr >>> PAGE_SHIFT, size);
        return new DmaCoherentMem(virt, deviceAddr, physAddr >>> PAGE_SHIFT, pages, flags, useDmaPfnOffset);
    }

    /** dma_assign_coherent_memory(): -ENODEV without a device, -EBUSY when it already has a pool. */
    @KernelFunction(symbol = "dma_assign_coherent_memory", file = "kernel/dma/coherent.c")
    public int dmaAssignCoherentMemory(Device dev, DmaCoherentMem mem) {
        if (dev == null) {
            return -Errno.ENODEV;
        }
        if (dev.dmaMem != null) {
            return -Errno.EBUSY;
        }
        dev.dmaMem = mem;
        return 0;
    }

    /**
     * dma_declare_coherent_memory(): init + assign; 0 or -errno. (4.4 returns the DMA_MEMORY_* flags on success
     * and 0 on failure; the port uses the 5.10+ convention and keeps 4.4's flags in the pool.)
     */
    @KernelFunction(symbol = "dma_declare_coherent_memory", file = "kernel/dma/coherent.c")
    public int dmaDeclareCoherentMemory(Device dev, long physAddr, long deviceAddr, long size, int flags) {
        DmaCoherentMem mem = dmaInitCoherentMemory(physAddr, deviceAddr, size, flags, false);
        if (mem == null) {
            return -Errno.EINVAL;
        }
        int ret = dmaAssignCoherentMemory(dev, mem);
        if (ret != 0) {
            remap.dmaCommonFreeRemap(mem.virtBase, size);
        }
        return ret;
    }

    @KernelFunction(symbol = "__dma_alloc_from_coherent", file = "kernel/dma/coherent.c")
    private long dmaAllocFromCoherent(Device dev, DmaCoherentMem mem, long size, long[] dmaHandle) {
        int order = DmaMapping.getOrder(size);
        mem.spinlock.lock();
        try {
            if (size > ((long) mem.size << PAGE_SHIFT)) {
                return 0;
            }
            int pageno = bitmapFindFreeRegion(mem, order);
            if (pageno < 0) {
                return 0;
            }
            dmaHandle[0] = dmaGetDeviceBase(mem) + ((long) pageno << PAGE_SHIFT);
            return mem.virtBase + ((long) pageno << PAGE_SHIFT);
        } finally {
            mem.spinlock.unlock();
        }
    }

    /** dma_get_device_base(): phys_to_dma() of the pool's first page for DT pools, else the declared base. */
    private static long dmaGetDeviceBase(DmaCoherentMem mem) {
        return mem.useDevDmaPfnOffset ? mem.pfnBase << PAGE_SHIFT : mem.deviceBase;
    }

    /**
     * dma_alloc_from_dev_coherent() (4.4: dma_alloc_from_coherent()): true when the device's pool decided the
     * request, with the CPU address (0 when the pool is full) in {@code ret[0]}; false sends the request on.
     */
    @KernelFunction(symbol = "dma_alloc_from_dev_coherent", file = "kernel/dma/coherent.c")
    public boolean dmaAllocFromDevCoherent(Device dev, long size, long[] dmaHandle, long[] ret) {
        DmaCoherentMem mem = dev == null ? null : dev.dmaMem;
        if (mem == null) {
            return false;
        }
        ret[0] = dmaAllocFromCoherent(dev, mem, size, dmaHandle);
        if (ret[0] != 0 || profile.atLeast(KernelProfile.V5_10)) {
            return true;
        }
        // [4.4] a full non-exclusive pool lets the normal allocator try
        return (mem.flags & DmaCoherentMem.DMA_MEMORY_EXCLUSIVE) != 0;
    }

    /** dma_release_from_dev_coherent(): true when {@code vaddr} lies in the device's pool (and is freed there). */
    @KernelFunction(symbol = "dma_release_from_dev_coherent", file = "kernel/dma/coherent.c")
    public boolean dmaReleaseFromDevCoherent(Device dev, int order, long vaddr) {
        DmaCoherentMem mem = dev == null ? null : dev.dmaMem;
        if (mem == null || Long.compareUnsigned(vaddr, mem.virtBase) < 0
                || vaddr - mem.virtBase >= ((long) mem.size << PAGE_SHIFT)) {
            return false;
        }
        int page = (int) ((vaddr - mem.virtBase) >>> PAGE_SHIFT);
        mem.spinlock.lock();
        try {
            mem.bitmap.clear(page, page + (1 << order));
        } finally {
            mem.spinlock.unlock();
        }
        return true;
    }

    /** bitmap_find_free_region() (lib/bitmap.c): the first free, naturally aligned run of 2^order bits. */
    @KernelFunction(symbol = "bitmap_find_free_region", file = "lib/bitmap.c")
    static int bitmapFindFreeRegion(DmaCoherentMem mem, int order) {
        int len = 1 << order;
        for (int pos = 0; pos + len <= mem.size; pos += len) {
            int used = mem.bitmap.nextSetBit(pos);
            if (used < 0 || used >= pos + len) {
                mem.bitmap.set(pos, pos + len);
                return pos;
            }
        }
        return -Errno.ENOMEM;
    }
}
