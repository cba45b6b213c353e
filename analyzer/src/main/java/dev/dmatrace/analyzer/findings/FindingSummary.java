package dev.dmatrace.analyzer.findings;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.dmatrace.analyzer.tree.Node;

/** All occurrences of one detector in a recording: how many, the first few, and one example tree. */
public record FindingSummary(String id, Severity severity, String explanation, long count,
                             List<Occurrence> occurrences, @JsonIgnore Node exampleTree) {

    /** One occurrence as the report shows it. */
    public record Occurrence(String message, long rootHopId, Evidence evidence) {}
}
