package dev.dmatrace.analyzer.findings;

/** The driver got NULL from dma_alloc_coherent(): the finding carries the chain of reasons. */
public final class AllocFailed implements Detector {
    @Override
    public String id() {
        return "ALLOC_FAILED";
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public String explanation() {
        return "dma_alloc_coherent() returned NULL to the driver; the reasons list every provider tried and why "
                + "it refused (on the DMA path CMA failures are __GFP_NOWARN: dmesg shows nothing)";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        for (Allocation a : facts.allocations()) {
            if (a.failed()) {
                out.add(() -> finding(BuddyFallback.dev(a) + " failed: " + String.join("; ", a.reasons()),
                        Evidence.builder().allocation(a).build(), facts));
            }
        }
    }
}
