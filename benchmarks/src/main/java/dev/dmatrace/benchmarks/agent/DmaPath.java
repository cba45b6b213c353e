package dev.dmatrace.benchmarks.agent;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.KernelValue;

/** A kernel-shaped call tree (device, gfp flags, a tracepoint, nesting) for measuring recording size per hop. */
public final class DmaPath {

    /** A device recorded as its name. */
    public static final class Device {
        private final String name;

        public Device(String name) {
            this.name = name;
        }

        @KernelValue
        public String name() {
            return name;
        }
    }

    /** gfp flags rendered the kernel's way. */
    public static final class Gfp {
        public static final int GFP_KERNEL = 0xcc0;
        public static final int NOWARN = 0x2000;

        private Gfp() {
        }

        public static String format(long flags) {
            return (flags & GFP_KERNEL) == GFP_KERNEL ? ((flags & NOWARN) != 0 ? "GFP_KERNEL|__GFP_NOWARN" : "GFP_KERNEL") : "0x" + Long.toHexString(flags);
        }
    }

    private long next = 0x80000;

    @KernelFunction(symbol = "dma_alloc_attrs", file = "kernel/dma/mapping.c")
    public long dmaAllocAttrs(Device dev, long size, @KernelFlags(Gfp.class) int gfp, long attrs) {
        long count = size >>> 12;
        long pfn = cmaAlloc("reserved", count, 0, (gfp & Gfp.NOWARN) != 0);
        return pfn << 12;
    }

    @KernelFunction(symbol = "cma_alloc", file = "mm/cma.c")
    long cmaAlloc(String name, long count, int align, boolean noWarn) {
        traceCmaAllocStart(name, count, align);
        return rmqueueSmallest(Long.numberOfTrailingZeros(Long.highestOneBit(Math.max(1, count))), 4);
    }

    @KernelFunction(symbol = "trace_cma_alloc_start", file = "include/trace/events/cma.h")
    static void traceCmaAllocStart(String name, long count, int align) {
    }

    @KernelFunction(symbol = "__rmqueue_smallest", file = "mm/page_alloc.c")
    long rmqueueSmallest(int order, int migratetype) {
        long pfn = next;
        next += 1L << order;
        return pfn;
    }
}
