package dev.dmatrace.analyzer.findings;

/** {@code cma_alloc} failed without trying a single range: the area's bitmap has no free aligned run of count pages. */
public final class CmaNoSpace implements Detector {
    @Override
    public String id() {
        return "CMA_NO_SPACE";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "the CMA area has no free, suitably aligned range of the requested number of pages (it is too small "
                + "or fragmented by live allocations); cma_alloc() returns NULL with -ENOMEM";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        for (CmaCall cma : facts.cmaCalls()) {
            if (cma.noSpace()) {
                out.add(() -> finding(cma.describeFailure(), Evidence.builder()
                        .allocation(facts.allocationOf(cma.node())).hop(cma.node().id()).errno(Symbols.ENOMEM)
                        .build(), facts));
            }
        }
    }
}
