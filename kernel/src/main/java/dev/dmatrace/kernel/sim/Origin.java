package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.dma.DmaCoherentMem;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.CmaArea;

/**
 * Where a buffer came from, told by its addresses the way a kernel engineer would look them up: inside the
 * device's coherent pool, inside an atomic pool (checked before CMA: the pools are often carved from the default
 * area), inside a CMA area, else the buddy zone of its first page.
 */
final class Origin {

    private Origin() {
    }

    static String of(Kernel k, Device dev, long cpuAddr, long dmaHandle, long size) {
        DmaCoherentMem mem = dev == null ? null : dev.dmaMem;
        if (mem != null && dmaHandle >= mem.deviceBase() && dmaHandle < mem.deviceBase() + ((long) mem.pages() << 12)) {
            return "device pool";
        }
        boolean atomic = k.atomicPools() != null && k.atomicPools().hasAddr(cpuAddr, size)
                || k.arm() != null && k.arm().atomicPool() != null && k.arm().atomicPool().hasAddr(cpuAddr, size);
        if (atomic) {
            return "atomic pool";
        }
        long pfn = dmaHandle >>> 12;
        for (CmaArea a : k.machine().cma().areas()) {
            if (pfn >= a.basePfn() && pfn < a.basePfn() + a.count()) {
                return "CMA " + a.name();
            }
        }
        if (k.machine().memMap().spans(pfn)) {
            return "buddy " + k.machine().pageAlloc().pageZone(pfn).name();
        }
        return "outside RAM";
    }

    /** Whether the buffer's pages are the page allocator's (buddy or CMA), so a free must give them back. */
    static boolean pageBacked(String origin) {
        return origin.startsWith("buddy ") || origin.startsWith("CMA ");
    }
}
