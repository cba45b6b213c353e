package dev.dmatrace.kernel.trace.events;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.dma.DmaAttrs;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.trace.TraceEvent;
import dev.dmatrace.kernel.trace.Tracing;

/**
 * include/trace/events/dma.h, the coherent-allocation events: first in 6.12 (the 6.12 stable series prints the
 * direction, always BIDIRECTIONAL here). Absent in 4.4, 5.10 and 6.1: the methods do nothing there.
 */
public final class Dma {

    private final TraceEvent dmaAlloc;
    private final TraceEvent dmaFree;

    public Dma(Tracing tracing) {
        boolean present = tracing.profile().atLeast(KernelProfile.V6_12);
        dmaAlloc = present ? tracing.register("dma", "dma_alloc") : null;
        dmaFree = present ? tracing.register("dma", "dma_free") : null;
    }

    private static String ptr(TraceEvent e, long addr) {
        return e.page(addr == 0 ? -1L : addr);
    }

    /** {@code %s dir=%s dma_addr=%llx size=%zu virt_addr=%p flags=%s attrs=%s}. */
    @KernelFunction(symbol = "trace_dma_alloc", file = "include/trace/events/dma.h", versions = {"6.12"})
    public void traceDmaAlloc(String dev, long virtAddr, long dmaAddr, long size, long gfp, long attrs) {
        if (dmaAlloc == null || !dmaAlloc.enabled) {
            return;
        }
        dmaAlloc.emit(false, dev + " dir=BIDIRECTIONAL dma_addr=" + Long.toHexString(dmaAddr) + " size=" + size
                + " virt_addr=" + ptr(dmaAlloc, virtAddr) + " flags=" + Gfp.format(gfp) + " attrs="
                + DmaAttrs.format(attrs));
    }

    /** {@code %s dir=%s dma_addr=%llx size=%zu virt_addr=%p attrs=%s}. */
    @KernelFunction(symbol = "trace_dma_free", file = "include/trace/events/dma.h", versions = {"6.12"})
    public void traceDmaFree(String dev, long virtAddr, long dmaAddr, long size, long attrs) {
        if (dmaFree == null || !dmaFree.enabled) {
            return;
        }
        dmaFree.emit(false, dev + " dir=BIDIRECTIONAL dma_addr=" + Long.toHexString(dmaAddr) + " size=" + size
                + " virt_addr=" + ptr(dmaFree, virtAddr) + " attrs=" + DmaAttrs.format(attrs));
    }
}
