package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.drivers.base.Device;

/**
 * The slice of the DMA API a driver model calls, with the kernel's names and conventions (a CPU address of 0 is
 * NULL; {@code dmaHandle[0]} receives the bus address). The scenario runner implements it on top of
 * {@link dev.dmatrace.kernel.dma.DmaMapping}, recording every call for the outcome table.
 */
public interface DmaApi {

    long dmaAllocCoherent(Device dev, long size, long[] dmaHandle, long gfp);

    void dmaFreeCoherent(Device dev, long size, long cpuAddr, long dmaHandle);

    long dmaMapSingle(Device dev, long cpuAddr, long size, int dir);

    void dmaUnmapSingle(Device dev, long dmaAddr, long size, int dir);

    /** dma_mapping_error(): non-zero when {@code dmaAddr} is DMA_MAPPING_ERROR. */
    int dmaMappingError(Device dev, long dmaAddr);
}
