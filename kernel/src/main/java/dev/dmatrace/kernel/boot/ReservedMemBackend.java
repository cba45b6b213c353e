package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.dma.DmaCoherent;
import dev.dmatrace.kernel.dma.DmaCoherentMem;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Cma;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.of.OfDevice;
import dev.dmatrace.kernel.of.ReservedMem;
import dev.dmatrace.kernel.of.SharedDmaPool;

/**
 * The DMA layer's side of the {@code shared-dma-pool} handlers: a {@code reusable} region becomes a CMA area
 * (cma_init_reserved_mem), a {@code no-map} region a coherent pool on first bind (dma_init_coherent_memory with
 * the DT flags: 4.4 DMA_MEMORY_MAP|DMA_MEMORY_EXCLUSIVE), and binding sets the device's {@code cma_area} or
 * {@code dma_mem}.
 */
final class ReservedMemBackend implements SharedDmaPool.Backend {

    private final Cma cma;
    private final DmaCoherent coherent;

    ReservedMemBackend(Cma cma, DmaCoherent coherent) {
        this.cma = cma;
        this.coherent = coherent;
    }

    CmaArea area(ReservedMem rmem) {
        return (CmaArea) rmem.priv();
    }

    @Override
    public int cmaInitReservedMem(ReservedMem rmem) {
        CmaArea[] res = new CmaArea[1];
        int ret = cma.cmaInitReservedMem(rmem.base(), rmem.size(), 0, rmem.name(), res);
        if (ret == 0) {
            rmem.setPriv(res[0]);
        }
        return ret;
    }

    @Override
    public int dmaInitCoherentMemory(ReservedMem rmem) {
        int flags = DmaCoherentMem.DMA_MEMORY_MAP | DmaCoherentMem.DMA_MEMORY_EXCLUSIVE;
        DmaCoherentMem mem = coherent.dmaInitCoherentMemory(rmem.base(), rmem.base(), rmem.size(), flags, true);
        if (mem == null) {
            return -Errno.EINVAL;
        }
        rmem.setPriv(mem);
        return 0;
    }

    @Override
    public void setCmaArea(OfDevice dev, Object area) {
        ((Device) dev).cmaArea = (CmaArea) area;
    }

    @Override
    public void setDmaMem(OfDevice dev, Object mem) {
        Device d = (Device) dev;
        if (mem == null) {
            d.dmaMem = null;
        } else {
            coherent.dmaAssignCoherentMemory(d, (DmaCoherentMem) mem);
        }
    }
}
