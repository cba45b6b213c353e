package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.mm.LinearMap;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;

/**
 * The CPU buffers a driver hands to dma_map_single() (kmalloc'ed buffers, skb heads, the zero page): real pages
 * from the buddy allocator, addressed through the linear map so that virt_to_phys() finds them. The port has no
 * slab allocator, so a kmalloc() of {@code size} bytes is the page block of get_order(size) that a kmalloc cache
 * of that size would sit on.
 */
final class KernelBuffers {

    private KernelBuffers() {
    }

    /** The linear-map address of a fresh block covering {@code size} bytes, or 0 (NULL). */
    static long alloc(DriverEnv env, long size, long gfp) {
        PageAlloc pa = env.kernel().machine().pageAlloc();
        long pfn = pa.allocPages(gfp, DmaMapping.getOrder(size));
        return pfn == Page.NULL ? 0 : env.kernel().remapLinear().pageAddress(pfn);
    }

    /** kfree() of a buffer from {@link #alloc} of the same size. */
    static void free(DriverEnv env, long addr, long size) {
        LinearMap lm = env.kernel().remapLinear();
        env.kernel().machine().pageAlloc().free().freePages(lm.virtToPhys(addr) >>> 12, DmaMapping.getOrder(size));
    }
}
