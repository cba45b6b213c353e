package dev.dmatrace.kernel.drivers.base;

import dev.dmatrace.kernel.KernelValue;
import dev.dmatrace.kernel.dma.DmaCoherentMem;
import dev.dmatrace.kernel.dma.DmaMapOps;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.of.DeviceNode;
import dev.dmatrace.kernel.of.OfDevice;

/**
 * {@code struct device}, the fields the DMA layer reads: the masks ({@code dma_mask} is a pointer in the kernel:
 * {@link #hasDmaMask} says whether it is set), {@code bus_dma_limit}, {@code dma_coherent}, the per-device coherent
 * pool ({@code dma_mem}), the per-device CMA area ({@code cma_area}) and the ops table ({@code null}: dma-direct).
 * Mutable like the kernel's: drivers and the DMA layer set the fields.
 */
public final class Device implements OfDevice {

    private final String name;
    private final DeviceNode ofNode;
    public long coherentDmaMask;
    public long dmaMask;
    public boolean hasDmaMask;
    public long busDmaLimit;
    public boolean dmaCoherent;
    public DmaCoherentMem dmaMem;
    public CmaArea cmaArea;
    public DmaMapOps ops;

    public Device(String name, DeviceNode ofNode) {
        this.name = name;
        this.ofNode = ofNode;
    }

    /**
     * platform_device_register_simple(name, -1, NULL, 0): 5.10+ give the device 32-bit masks
     * (setup_pdev_dma_masks), 4.4 leaves them 0.
     */
    public static Device platform(String name, boolean masks32, boolean coherent) {
        Device d = new Device(name, null);
        if (masks32) {
            d.coherentDmaMask = 0xffffffffL;
            d.dmaMask = 0xffffffffL;
            d.hasDmaMask = true;
        }
        d.dmaCoherent = coherent;
        return d;
    }

    @Override
    @KernelValue
    public String devName() {
        return name;
    }

    @Override
    public DeviceNode ofNode() {
        return ofNode;
    }

    @Override
    public String toString() {
        return name;
    }
}
