package dev.dmatrace.kernel.trace.events;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.trace.TraceEvent;
import dev.dmatrace.kernel.trace.Tracing;

/**
 * include/trace/events/cma.h. [4.4, 5.10] two events, {@code cma_alloc} (fired once at the end of cma_alloc) and
 * {@code cma_release}, without the area name; [6.1] {@code cma_alloc_start}, {@code cma_alloc_finish},
 * {@code cma_alloc_busy_retry} and {@code cma_release}, all with the name first; [6.12] cma_alloc_finish adds
 * {@code errorno}. An unsigned long pfn of -1 prints as all ones in the machine's word size.
 */
public final class Cma {

    private final KernelProfile profile;
    private final boolean is64bit;
    private final TraceEvent cmaAlloc;
    private final TraceEvent cmaRelease;
    private final TraceEvent cmaAllocStart;
    private final TraceEvent cmaAllocFinish;
    private final TraceEvent cmaAllocBusyRetry;

    public Cma(Tracing tracing, boolean is64bit) {
        this.profile = tracing.profile();
        this.is64bit = is64bit;
        cmaRelease = tracing.register("cma", "cma_release");
        if (profile.atLeast(KernelProfile.V6_1)) {
            cmaAlloc = null;
            cmaAllocStart = tracing.register("cma", "cma_alloc_start");
            cmaAllocFinish = tracing.register("cma", "cma_alloc_finish");
            cmaAllocBusyRetry = tracing.register("cma", "cma_alloc_busy_retry");
        } else {
            cmaAlloc = tracing.register("cma", "cma_alloc");
            cmaAllocStart = null;
            cmaAllocFinish = null;
            cmaAllocBusyRetry = null;
        }
    }

    private String ulongHex(long v) {
        return is64bit ? Long.toHexString(v) : Integer.toHexString((int) v);
    }

    /** [4.4, 5.10] {@code pfn=%lx page=%p count=%u align=%u}. */
    @KernelFunction(symbol = "trace_cma_alloc", file = "include/trace/events/cma.h", versions = {"4.4", "5.10"})
    public void traceCmaAlloc(long pfn, long page, long count, int align) {
        if (!cmaAlloc.enabled) {
            return;
        }
        cmaAlloc.emit(false, "pfn=" + ulongHex(pfn) + " page=" + cmaAlloc.page(page) + " count=" + count
                + " align=" + align);
    }

    /** [6.1] {@code name=%s count=%lu align=%u}. */
    @KernelFunction(symbol = "trace_cma_alloc_start", file = "include/trace/events/cma.h", versions = {"6.1", "6.12"})
    public void traceCmaAllocStart(String name, long count, int align) {
        if (!cmaAllocStart.enabled) {
            return;
        }
        cmaAllocStart.emit(false, "name=" + name + " count=" + count + " align=" + align);
    }

    /** [6.1] {@code name=%s pfn=0x%lx page=%p count=%lu align=%u}; [6.12] + {@code errorno=%d}. */
    @KernelFunction(symbol = "trace_cma_alloc_finish", file = "include/trace/events/cma.h", versions = {"6.1", "6.12"})
    public void traceCmaAllocFinish(String name, long pfn, long page, long count, int align, int errorno) {
        if (!cmaAllocFinish.enabled) {
            return;
        }
        String s = "name=" + name + " pfn=0x" + ulongHex(pfn) + " page=" + cmaAllocFinish.page(page) + " count="
                + count + " align=" + align;
        cmaAllocFinish.emit(false, profile.atLeast(KernelProfile.V6_12) ? s + " errorno=" + errorno : s);
    }

    /** [6.1] {@code name=%s pfn=0x%lx page=%p count=%lu align=%u}. */
    @KernelFunction(symbol = "trace_cma_alloc_busy_retry", file = "include/trace/events/cma.h",
            versions = {"6.1", "6.12"})
    public void traceCmaAllocBusyRetry(String name, long pfn, long page, long count, int align) {
        if (!cmaAllocBusyRetry.enabled) {
            return;
        }
        cmaAllocBusyRetry.emit(false, "name=" + name + " pfn=0x" + ulongHex(pfn) + " page="
                + cmaAllocBusyRetry.page(page) + " count=" + count + " align=" + align);
    }

    /** [4.4, 5.10] {@code pfn=%lx page=%p count=%u}; [6.1] {@code name=%s pfn=0x%lx page=%p count=%lu}. */
    @KernelFunction(symbol = "trace_cma_release", file = "include/trace/events/cma.h")
    public void traceCmaRelease(String name, long pfn, long page, long count) {
        if (!cmaRelease.enabled) {
            return;
        }
        if (profile.atLeast(KernelProfile.V6_1)) {
            cmaRelease.emit(false, "name=" + name + " pfn=0x" + ulongHex(pfn) + " page=" + cmaRelease.page(page)
                    + " count=" + count);
        } else {
            cmaRelease.emit(false, "pfn=" + ulongHex(pfn) + " page=" + cmaRelease.page(page) + " count=" + count);
        }
    }
}
