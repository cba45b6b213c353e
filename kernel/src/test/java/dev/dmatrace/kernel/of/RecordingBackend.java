package dev.dmatrace.kernel.of;

import java.util.HashMap;
import java.util.Map;

/** A DMA layer stand-in that remembers which area each device was given. */
final class RecordingBackend implements SharedDmaPool.Backend {

    final Map<String, Object> cmaArea = new HashMap<>();
    final Map<String, Object> dmaMem = new HashMap<>();
    int failCma;
    int failDma;

    @Override
    public int cmaInitReservedMem(ReservedMem rmem) {
        if (failCma != 0) {
            return failCma;
        }
        return SharedDmaPool.Backend.super.cmaInitReservedMem(rmem);
    }

    @Override
    public int dmaInitCoherentMemory(ReservedMem rmem) {
        if (failDma != 0) {
            return failDma;
        }
        return SharedDmaPool.Backend.super.dmaInitCoherentMemory(rmem);
    }

    @Override
    public void setCmaArea(OfDevice dev, Object cma) {
        cmaArea.put(dev.devName(), cma);
    }

    @Override
    public void setDmaMem(OfDevice dev, Object mem) {
        dmaMem.put(dev.devName(), mem);
    }
}
