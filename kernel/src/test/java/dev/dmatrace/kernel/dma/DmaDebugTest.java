package dev.dmatrace.kernel.dma;

import static dev.dmatrace.kernel.dma.DmaTestKernels.MIB;
import static dev.dmatrace.kernel.dma.DmaTestKernels.arm64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import org.junit.jupiter.api.Test;

/** dma-debug's checks on free and its leak report, with the kernel's texts. */
class DmaDebugTest {

    private final Kernel k = arm64("6.1", "cma=64M");
    private final Device dev = k.createDevice("dev");

    private long alloc(long size, long[] h) {
        return k.dma().dmaAllocCoherent(dev, size, h, Gfp.GFP_KERNEL);
    }

    @Test
    void freeWithWrongSize_isReported() {
        long[] h = new long[1];
        long cpu = alloc(2 * MIB, h);
        k.dma().dmaFreeCoherent(dev, MIB, cpu, h[0]);
        assertThat(k.machine().printk().lines()).contains(String.format("DMA-API: platform dev: device driver frees "
                + "DMA memory with different size [device address=0x%016x] [map size=%d bytes] [unmap size=%d bytes]",
                h[0], 2 * MIB, MIB));
        assertThat(k.dma().debug().errorCount()).isEqualTo(1);
    }

    @Test
    void doubleFree_isAFreeOfMemoryNotAllocated() {
        long[] h = new long[1];
        long cpu = alloc(MIB, h);
        k.dma().dmaFreeCoherent(dev, MIB, cpu, h[0]);
        k.dma().debug().debugDmaFreeCoherent(dev, MIB, cpu, h[0], h[0]);
        assertThat(k.machine().printk().lines()).anyMatch(l -> l.startsWith("DMA-API: platform dev: device driver "
                + "tries to free DMA memory it has not allocated [device address=0x"));
    }

    @Test
    void freeWithWrongCpuAddress_isReported() {
        long[] h = new long[1];
        long cpu = alloc(MIB, h);
        k.dma().debug().debugDmaFreeCoherent(dev, MIB, cpu + 4096, h[0], h[0]);
        assertThat(k.machine().printk().lines()).anyMatch(l -> l.contains("with different CPU address"));
    }

    @Test
    void leak_reportedWhenTheDriverIsReleased() {
        long[] h = new long[1];
        alloc(MIB, h);
        alloc(MIB, new long[1]);
        assertThat(k.dma().debug().dmaDebugDeviceChange(dev)).isEqualTo(2);
        assertThat(k.machine().printk().lines()).anyMatch(l -> l.startsWith("DMA-API: platform dev: device driver "
                + "has pending DMA allocations while released from device [count=2]\nOne of leaked entries details: "
                + String.format("[device address=0x%016x] [size=%d bytes] [mapped with DMA_BIDIRECTIONAL] "
                + "[mapped as coherent]", h[0], MIB)));
    }

    @Test
    void mapSingle_beyondTheMask_isAMappingError() {
        dev.dmaMask = 0x4fffffffL;
        long high = k.remapLinear().pageAddress(0x5f000);
        long addr = k.dma().dmaMapSingle(dev, high, 4096, DmaMapping.DMA_TO_DEVICE);
        assertThat(k.dma().dmaMappingError(dev, addr)).isNotZero();
        long ok = k.dma().dmaMapSingle(dev, k.remapLinear().pageAddress(0x41000) + 128, 4096,
                DmaMapping.DMA_TO_DEVICE);
        assertThat(ok).isEqualTo(0x41000080L);
        ok = k.dma().dmaMapPageAttrs(dev, 0x41000000L, 4096, DmaMapping.DMA_TO_DEVICE);
        assertThat(ok).isEqualTo(0x41000000L);
        k.dma().dmaUnmapSingle(dev, ok, 4096, DmaMapping.DMA_FROM_DEVICE);
        assertThat(k.machine().printk().lines()).anyMatch(l -> l.contains("with different direction"));
    }
}
