package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.LinearMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * kernel/dma/remap.c: mapping contiguous pages into the vmalloc area (write-combining or uncached) for
 * non-coherent devices, and memremap() of carve-outs. The vmalloc area is a bump allocator with the guard page
 * get_vm_area() leaves after each area; freed ranges are not reused (enough for addresses that stay distinct).
 */
public final class DmaRemap {

    private static final long PAGE_SIZE = 4096;

    private record Area(long pfn, long size) {
    }

    private final LinearMap linearMap;
    private final Map<Long, Area> areas = new TreeMap<>(Long::compareUnsigned);
    private long next;

    public DmaRemap(LinearMap linearMap) {
        this.linearMap = linearMap;
        this.next = linearMap.vmallocStart();
    }

    public LinearMap linearMap() {
        return linearMap;
    }

    /** dma_common_contiguous_remap(): the pages from {@code pfn} on, {@code size} bytes, at a new vmalloc address. */
    @KernelFunction(symbol = "dma_common_contiguous_remap", file = "kernel/dma/remap.c")
    public synchronized long dmaCommonContiguousRemap(long pfn, long size) {
        long aligned = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
        long addr = next;
        next += aligned + PAGE_SIZE;
        areas.put(addr, new Area(pfn, aligned));
        return addr;
    }

    /** dma_common_free_remap(): vunmap(); a WARN when the address was never mapped. */
    @KernelFunction(symbol = "dma_common_free_remap", file = "kernel/dma/remap.c")
    public synchronized boolean dmaCommonFreeRemap(long cpuAddr, long size) {
        return areas.remove(cpuAddr) != null;
    }

}
