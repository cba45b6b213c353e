package dev.dmatrace.analyzer.render.flame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dmatrace.analyzer.findings.Detector;
import dev.dmatrace.analyzer.findings.Detectors;
import dev.dmatrace.analyzer.findings.Finding;
import dev.dmatrace.analyzer.findings.TreeFacts;

/**
 * The outcome of each hop of a tree, taken from the analyzer's own detectors, so the flame graph and the findings
 * never disagree. A finding's evidence names the allocation first and the hop it is about last: a failure or a
 * busy retry marks that last hop (a failed isolation inside a successful allocation does not fail the
 * allocation), a fallback marks every hop named (the allocation fell back, and the call that made it). Detectors keep
 * state across trees, hence one instance per recording, fed every tree in completion order.
 */
public final class Outcomes {
    private static final Map<String, Outcome> BY_FINDING = Map.of(
            "ALLOC_FAILED", Outcome.FAILED,
            "CMA_NO_SPACE", Outcome.FAILED,
            "ISOLATION_FAILED", Outcome.FAILED,
            "MIGRATION_FAILED", Outcome.FAILED,
            "ATOMIC_POOL_EXHAUSTED", Outcome.FAILED,
            "BUDDY_FALLBACK", Outcome.FALLBACK,
            "DEVICE_POOL_EXHAUSTED", Outcome.FALLBACK,
            "CMA_BUSY_RETRY", Outcome.BUSY);

    private final List<Detector> detectors = Detectors.all();

    /** Hop id to outcome for the hops of this tree that have one; the others succeeded. */
    public Map<Long, Outcome> of(TreeFacts facts) {
        Map<Long, Outcome> out = new HashMap<>();
        for (Detector d : detectors) {
            d.inspect(facts, f -> mark(f.get(), out));
        }
        return out;
    }

    private static void mark(Finding f, Map<Long, Outcome> out) {
        Outcome o = BY_FINDING.get(f.id());
        if (o == null) {
            return;
        }
        List<Long> hops = f.evidence().hopIds();
        if (hops.isEmpty()) {
            return;
        }
        for (long hop : o == Outcome.FALLBACK ? hops : hops.subList(hops.size() - 1, hops.size())) {
            out.merge(hop, o, Outcome::worse);
        }
    }
}
