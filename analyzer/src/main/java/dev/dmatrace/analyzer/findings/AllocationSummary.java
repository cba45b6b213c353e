package dev.dmatrace.analyzer.findings;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.dmatrace.analyzer.tree.Node;

/** The verdict on one allocation as the report shows it. */
public record AllocationSummary(long hopId, long rootHopId, String thread, String device, Long size, String gfp,
                                long durationNanos, Allocation.Path path, String where, List<String> reasons,
                                @JsonIgnore Node tree) {

    static AllocationSummary of(Allocation a, TreeFacts facts) {
        return new AllocationSummary(a.hopId(), facts.tree().rootId(), a.hop().threadName(), a.device(),
                a.size() < 0 ? null : a.size(), a.gfp(), a.durationNanos(), a.path(), a.where(), a.reasons(),
                facts.tree().root());
    }
}
