package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.dma.DmaDirect;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.drivers.base.Device;
import java.util.ArrayList;
import java.util.List;

/** The DMA API over kernel.dma(), recording each call; {@link #failMap} injects DMA_MAPPING_ERROR. */
final class RecordingDma implements DmaApi {

    record Call(String fn, Device dev, long size, long cpuAddr, long dmaAddr) {
    }

    private final DmaMapping dma;
    final List<Call> calls = new ArrayList<>();
    private int mapsLeftBeforeFailure = -1;

    RecordingDma(DmaMapping dma) {
        this.dma = dma;
    }

    /** The map call after {@code successes} successful ones returns DMA_MAPPING_ERROR. */
    void failMap(int successes) {
        mapsLeftBeforeFailure = successes;
    }

    List<Call> calls(String fn) {
        return calls.stream().filter(c -> c.fn().equals(fn)).toList();
    }

    /** Mappings not unmapped yet, and coherent buffers not freed yet, by bus address. */
    long outstanding() {
        return calls("map").size() - calls("unmap").size() + calls("alloc").stream().filter(c -> c.cpuAddr() != 0)
                .count() - calls("free").size();
    }

    @Override
    public long dmaAllocCoherent(Device dev, long size, long[] dmaHandle, long gfp) {
        long cpu = dma.dmaAllocCoherent(dev, size, dmaHandle, gfp);
        calls.add(new Call("alloc", dev, size, cpu, dmaHandle[0]));
        return cpu;
    }

    @Override
    public void dmaFreeCoherent(Device dev, long size, long cpuAddr, long dmaHandle) {
        calls.add(new Call("free", dev, size, cpuAddr, dmaHandle));
        dma.dmaFreeCoherent(dev, size, cpuAddr, dmaHandle);
    }

    @Override
    public long dmaMapSingle(Device dev, long cpuAddr, long size, int dir) {
        long addr;
        if (mapsLeftBeforeFailure-- == 0) {
            addr = DmaDirect.DMA_MAPPING_ERROR;
        } else {
            addr = dma.dmaMapSingle(dev, cpuAddr, size, dir);
        }
        if (addr != DmaDirect.DMA_MAPPING_ERROR) {
            calls.add(new Call("map", dev, size, cpuAddr, addr));
        }
        return addr;
    }

    @Override
    public void dmaUnmapSingle(Device dev, long dmaAddr, long size, int dir) {
        calls.add(new Call("unmap", dev, size, 0, dmaAddr));
        dma.dmaUnmapSingle(dev, dmaAddr, size, dir);
    }

    @Override
    public int dmaMappingError(Device dev, long dmaAddr) {
        return dma.dmaMappingError(dev, dmaAddr);
    }
}
