package dev.dmatrace.analyzer;

import java.util.List;
import java.util.Map;

import dev.dmatrace.analyzer.findings.AllocationSummary;
import dev.dmatrace.analyzer.findings.FindingSummary;
import dev.dmatrace.analyzer.findings.Severity;
import dev.dmatrace.analyzer.read.ReadSummary;

/** Everything the analysis of one recording found; the renderers' only input. Schema: docs/report-schema.md. */
public record RecordingAnalysis(
        ReadSummary recording,
        long trees,
        long unfinishedTrees,
        long unfinishedHops,
        long allocations,
        long failedAllocations,
        Map<String, Long> paths,
        List<FindingSummary> findings,
        List<AllocationSummary> worst) {

    /** The most severe finding, or null. */
    public Severity worstSeverity() {
        return findings.stream().map(FindingSummary::severity).max(Enum::compareTo).orElse(null);
    }
}
