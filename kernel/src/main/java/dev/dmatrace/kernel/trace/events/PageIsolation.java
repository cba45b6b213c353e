package dev.dmatrace.kernel.trace.events;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.trace.TraceEvent;
import dev.dmatrace.kernel.trace.Tracing;

/** include/trace/events/page_isolation.h ([5.10], [6.1]; 4.4 has no such event). */
public final class PageIsolation {

    private final TraceEvent testPagesIsolated;

    public PageIsolation(Tracing tracing) {
        testPagesIsolated = tracing.register("page_isolation", "test_pages_isolated");
    }

    /** {@code start_pfn=0x%lx end_pfn=0x%lx fin_pfn=0x%lx ret=%s}, ret "success" when end_pfn <= fin_pfn. */
    @KernelFunction(symbol = "trace_test_pages_isolated", file = "include/trace/events/page_isolation.h",
            versions = {"5.10", "6.1"})
    public void traceTestPagesIsolated(long startPfn, long endPfn, long finPfn) {
        if (!testPagesIsolated.enabled) {
            return;
        }
        testPagesIsolated.emit(false, "start_pfn=0x" + Long.toHexString(startPfn) + " end_pfn=0x"
                + Long.toHexString(endPfn) + " fin_pfn=0x" + Long.toHexString(finPfn) + " ret="
                + (endPfn <= finPfn ? "success" : "fail"));
    }
}
