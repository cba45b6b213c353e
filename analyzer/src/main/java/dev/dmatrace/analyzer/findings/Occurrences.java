package dev.dmatrace.analyzer.findings;

import java.util.function.Supplier;

/**
 * Where a detector reports what it saw. Every occurrence is counted, but its finding (message, evidence) is built
 * only when the report keeps it: a recording with thousands of busy retries builds the first few.
 */
@FunctionalInterface
public interface Occurrences {
    void add(Supplier<Finding> finding);
}
