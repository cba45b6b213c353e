package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.tree.Node;

/**
 * One occurrence of a detector's situation: the detector id, a one-line message about this occurrence, the
 * evidence, and the tree it was seen in ({@code tree} is for rendering an example, not for the JSON report).
 */
public record Finding(String id, Severity severity, String message, Evidence evidence, long rootHopId,
                      Node tree) {}
