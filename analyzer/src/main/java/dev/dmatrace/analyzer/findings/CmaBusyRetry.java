package dev.dmatrace.analyzer.findings;

/**
 * {@code cma_alloc} found a free range in its bitmap but {@code alloc_contig_range} returned -EBUSY for it, and
 * moved on to the next aligned candidate: one finding per cma_alloc, with every busy pfn.
 */
public final class CmaBusyRetry implements Detector {
    @Override
    public String id() {
        return "CMA_BUSY_RETRY";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String explanation() {
        return "alloc_contig_range() returned -EBUSY for a free-in-bitmap CMA range (pages pinned, unmovable or "
                + "not yet freed), so cma_alloc() retried at the next aligned range: slow, and fails when none is left";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        for (CmaCall cma : facts.cmaCalls()) {
            if (!cma.busyPfns().isEmpty()) {
                out.add(() -> report(cma, facts));
            }
        }
    }

    private Finding report(CmaCall cma, TreeFacts facts) {
        Evidence.Builder ev = Evidence.builder().allocation(facts.allocationOf(cma.node()))
                .hop(cma.node().id()).errno(Symbols.EBUSY);
        for (long pfn : cma.busyPfns()) {
            if (pfn >= 0) {
                ev.pfnRange(pfn, pfn + Math.max(cma.count(), 1));
            }
        }
        return finding("CMA area " + cma.area() + ": " + cma.busyPfns().size() + " busy range(s) for "
                + cma.count() + " pages, then " + (cma.succeeded() ? "succeeded" : "failed"), ev.build(), facts);
    }
}
