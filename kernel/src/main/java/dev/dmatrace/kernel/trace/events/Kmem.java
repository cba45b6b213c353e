package dev.dmatrace.kernel.trace.events;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.trace.TraceEvent;
import dev.dmatrace.kernel.trace.Tracing;

/**
 * include/trace/events/kmem.h: the page allocator's tracepoints. Parameters are the TP_STRUCT__entry fields;
 * the TP_printk text is the profile's (6.1 prints {@code pfn=0x%lx}, 4.4 and 5.10 {@code pfn=%lu}).
 */
public final class Kmem {

    private final boolean hex;
    private final int pageblockOrder;
    private final TraceEvent mmPageAlloc;
    private final TraceEvent mmPageFree;
    private final TraceEvent mmPageAllocZoneLocked;
    private final TraceEvent mmPagePcpuDrain;
    private final TraceEvent mmPageAllocExtfrag;

    /** @param pageblockOrder printed by mm_page_alloc_extfrag's TP_printk (the macro, not a field) */
    public Kmem(Tracing tracing, int pageblockOrder) {
        this.hex = tracing.profile().tracePfnHex();
        this.pageblockOrder = pageblockOrder;
        mmPageAlloc = tracing.register("kmem", "mm_page_alloc");
        mmPageFree = tracing.register("kmem", "mm_page_free");
        mmPageAllocZoneLocked = tracing.register("kmem", "mm_page_alloc_zone_locked");
        mmPagePcpuDrain = tracing.register("kmem", "mm_page_pcpu_drain");
        mmPageAllocExtfrag = tracing.register("kmem", "mm_page_alloc_extfrag");
    }

    private String pfn(long pfn) {
        return hex ? "0x" + Long.toHexString(pfn) : Long.toUnsignedString(pfn);
    }

    /** NULL pages print page=0 and pfn=0 (the TP_printk's {@code pfn != -1UL ? ... : 0}). */
    private String pageAndPfn(TraceEvent e, long pfn) {
        return "page=" + e.page(pfn) + " pfn=" + pfn(pfn == -1L ? 0 : pfn);
    }

    @KernelFunction(symbol = "trace_mm_page_alloc", file = "include/trace/events/kmem.h")
    public void traceMmPageAlloc(long pfn, int order, @KernelFlags(Gfp.class) long gfpFlags, int migratetype) {
        if (!mmPageAlloc.enabled) {
            return;
        }
        mmPageAlloc.emit(false, pageAndPfn(mmPageAlloc, pfn) + " order=" + order + " migratetype=" + migratetype
                + " gfp_flags=" + Gfp.format(gfpFlags));
    }

    @KernelFunction(symbol = "trace_mm_page_free", file = "include/trace/events/kmem.h")
    public void traceMmPageFree(long pfn, int order) {
        if (!mmPageFree.enabled) {
            return;
        }
        mmPageFree.emit(false, pageAndPfn(mmPageFree, pfn) + " order=" + order);
    }

    /** 4.4/5.10 have no percpu_refill field and print {@code order == 0} in its place; the caller passes that. */
    @KernelFunction(symbol = "trace_mm_page_alloc_zone_locked", file = "include/trace/events/kmem.h")
    public void traceMmPageAllocZoneLocked(long pfn, int order, int migratetype, int percpuRefill) {
        if (!mmPageAllocZoneLocked.enabled) {
            return;
        }
        mmPageAllocZoneLocked.emit(true, pageAndPfn(mmPageAllocZoneLocked, pfn) + " order=" + order
                + " migratetype=" + migratetype + " percpu_refill=" + percpuRefill);
    }

    @KernelFunction(symbol = "trace_mm_page_pcpu_drain", file = "include/trace/events/kmem.h")
    public void traceMmPagePcpuDrain(long pfn, int order, int migratetype) {
        if (!mmPagePcpuDrain.enabled) {
            return;
        }
        mmPagePcpuDrain.emit(true, pageAndPfn(mmPagePcpuDrain, pfn) + " order=" + order + " migratetype="
                + migratetype);
    }

    @KernelFunction(symbol = "trace_mm_page_alloc_extfrag", file = "include/trace/events/kmem.h")
    public void traceMmPageAllocExtfrag(long pfn, int allocOrder, int fallbackOrder, int allocMigratetype,
            int fallbackMigratetype, int fragmenting, int changeOwnership) {
        if (!mmPageAllocExtfrag.enabled) {
            return;
        }
        mmPageAllocExtfrag.emit(true, pageAndPfn(mmPageAllocExtfrag, pfn) + " alloc_order=" + allocOrder
                + " fallback_order=" + fallbackOrder + " pageblock_order=" + pageblockOrder + " alloc_migratetype="
                + allocMigratetype + " fallback_migratetype=" + fallbackMigratetype + " fragmenting="
                + fragmenting + " change_ownership=" + changeOwnership);
    }
}
