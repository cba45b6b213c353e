package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.drivers.base.Device;

/**
 * {@code struct dma_map_ops}, the part the coherent path uses. A device whose {@code ops} is null goes to
 * dma-direct (5.10/6.1); 32-bit ARM installs {@code arm_dma_ops} / {@code arm_coherent_dma_ops} (4.4, 5.10).
 */
public interface DmaMapOps {

    /** {@code ops->alloc}: the CPU address (0 = NULL) and the handle in {@code dmaHandle[0]}. */
    long alloc(Device dev, long size, long[] dmaHandle, long gfp, long attrs);

    /** {@code ops->free}. */
    void free(Device dev, long size, long cpuAddr, long dmaHandle, long attrs);

    /** {@code ops->map_page}: the bus address of {@code size} bytes at physical address {@code phys}. */
    long mapPage(Device dev, long phys, long size, int dir);

    /** {@code ops->unmap_page}. */
    void unmapPage(Device dev, long dmaAddr, long size, int dir);

    /** {@code ops->dma_supported}; absent in the kernel means supported. */
    default boolean dmaSupported(Device dev, long mask) {
        return true;
    }

    /** The ops table's name, e.g. {@code arm_dma_ops}. */
    String name();
}
