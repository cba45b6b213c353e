package dev.dmatrace.analyzer.findings;

/** CMA was tried and failed, and the buffer came from the buddy allocator instead (5.10+ dma-direct). */
public final class BuddyFallback implements Detector {
    @Override
    public String id() {
        return "BUDDY_FALLBACK";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "cma_alloc() failed and __dma_direct_alloc_pages() fell back to the buddy allocator: the buffer is "
                + "not from the CMA area, and large orders there fail as memory fragments";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        for (Allocation a : facts.allocations()) {
            if (a.path() != Allocation.Path.BUDDY) {
                continue;
            }
            for (CmaCall cma : CmaCall.in(a.node())) {
                if (!cma.succeeded()) {
                    out.add(() -> finding(dev(a) + ": " + cma.describeFailure() + ", served by " + a.where(),
                            Evidence.builder().allocation(a).hop(cma.node().id()).build(), facts));
                    break;
                }
            }
        }
    }

    static String dev(Allocation a) {
        return (a.device() == null ? "?" : a.device()) + " size " + a.size();
    }
}
